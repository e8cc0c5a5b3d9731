;;;; Finding and loading libstreamdb.so.
;;;; Order: *LIBRARY-PATH* (or LOAD-LIBRARY's argument), $STREAMDB_LIBRARY, the repository's
;;;; build output (artifacts/lib/ two levels above this binding), then the system loader.

(in-package #:streamdb)

(defvar *library-path* nil
  "When non-NIL, the libstreamdb.so file to load, tried before anything else.")

(defparameter *repository-library*
  (merge-pathnames "../../../artifacts/lib/libstreamdb.so"
                   (make-pathname :name nil :type nil
                                  :defaults #.(or *compile-file-truename* *load-truename*)))
  "Where ./build.sh puts the library, relative to this source file.")

(defvar *loaded-library* nil "The path or name libstreamdb was loaded from.")

(define-condition library-not-found (error)
  ((attempts :initarg :attempts :reader library-not-found-attempts))
  (:report (lambda (c s)
             (format s "libstreamdb could not be loaded. Tried, in order:~%~{  ~A~%~}~
                        Set STREAMDB_LIBRARY to the path of libstreamdb.so, or run ./build.sh."
                     (library-not-found-attempts c)))))

(defun library-candidates (explicit)
  (let ((env (sb-ext:posix-getenv "STREAMDB_LIBRARY")))
    (remove nil
            (list (when explicit (namestring explicit))
                  (when (and env (plusp (length env))) env)
                  (namestring (translate-logical-pathname *repository-library*))
                  "libstreamdb.so"))))

(defun load-library (&optional (path *library-path*))
  "Load libstreamdb (once). Returns the path or name it was loaded from; signals
LIBRARY-NOT-FOUND listing every place tried, with the loader's reason for each."
  (or *loaded-library*
      (let ((attempts '()))
        (dolist (candidate (library-candidates path))
          (let ((file-p (find #\/ candidate)))
            (if (and file-p (not (probe-file candidate)))
                (push (format nil "~A: no such file" candidate) attempts)
                (handler-case
                    (progn
                      (with-foreign-guard
                        (cffi:load-foreign-library candidate)
                        ;; Start the .NET runtime now, then undo what it does to SBCL's
                        ;; signal handling (see signals.lisp).
                        (cffi:foreign-funcall "streamdb_version" :pointer))
                      (repair-signal-handlers)
                      (return-from load-library (setf *loaded-library* candidate)))
                  (error (e)
                    (push (format nil "~A: ~A" candidate e) attempts))))))
        (error 'library-not-found :attempts (nreverse attempts)))))
