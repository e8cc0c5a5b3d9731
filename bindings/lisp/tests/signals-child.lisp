;;;; Run by hazard-tests.lisp in a child SBCL (a failure here may kill the process, so it
;;;; must not be this suite's): once libstreamdb's .NET runtime has started, Lisp conditions
;;;; that SBCL raises from signal handlers must still arrive as conditions: a float trap
;;;; (SIGFPE), a type error trap, control stack exhaustion (SIGSEGV on the guard page).
;;;; Environment: STREAMDB_BINDING_DIR (bindings/lisp/), STREAMDB_LIBRARY, STREAMDB_CHILD_MODE
;;;;   binding           - start the runtime through the binding (LOAD-LIBRARY repairs)
;;;;   raw-then-repair   - start it with a raw streamdb_init call, as D-LISP does, then call
;;;;                       STREAMDB:REPAIR-SIGNAL-HANDLERS
;;;; Prints "ok" and exits 0 when every condition arrived.

(require :asdf)
(push (pathname (sb-ext:posix-getenv "STREAMDB_BINDING_DIR")) asdf:*central-registry*)
(handler-bind ((warning #'muffle-warning))
  (let ((*standard-output* (make-broadcast-stream)))
    (asdf:load-system "streamdb")))

(defvar *zero* 0d0)
(defvar *not-a-list* 5)
(defun deep (n) (1+ (deep (1+ n))))

(let ((mode (sb-ext:posix-getenv "STREAMDB_CHILD_MODE")))
  (cond ((string= mode "binding")
         (streamdb:with-database (db :memory)
           (streamdb:write-document db "/a" "x")
           (assert (string= "x" (streamdb:read-document db "/a" :as :string)))))
        ((string= mode "raw-then-repair")
         (cffi:load-foreign-library (sb-ext:posix-getenv "STREAMDB_LIBRARY"))
         (let ((db (streamdb:with-foreign-guard
                     (cffi:foreign-funcall "streamdb_init" :string (sb-ext:posix-getenv "STREAMDB_CHILD_FILE")
                                                           :int 5000 :pointer))))
           (assert (not (cffi:null-pointer-p db)))
           (streamdb:repair-signal-handlers)
           (streamdb:with-foreign-guard (cffi:foreign-funcall "streamdb_free" :pointer db :void))))
        (t (error "unknown mode ~S" mode))))

(defun float-trap () (handler-case (/ 1d0 *zero*) (arithmetic-error (e) (type-of e))))
(defun check-signal-conditions ()
  ;; Each twice: a handler that leaves its signal blocked fails the second time.
  (dotimes (i 2)
    (assert (eq 'division-by-zero (float-trap)))
    (assert (typep (handler-case (car *not-a-list*) (error (e) e)) 'type-error))
    (assert (typep (handler-case (deep 0) (storage-condition (e) e)) 'storage-condition)))
  (assert (eq 'division-by-zero (float-trap)))
  t)

(check-signal-conditions)
;; And in another thread that has been inside the library (and so is known to .NET).
(assert (eq t (sb-thread:join-thread
               (sb-thread:make-thread
                (lambda ()
                  (streamdb:with-database (db :memory) (streamdb:write-document db "/t" "x"))
                  (check-signal-conditions))))))
(format t "ok~%")
