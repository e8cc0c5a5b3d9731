;;;; Shared fixtures: scratch directories, scratch databases, seeded random data.

(in-package #:streamdb-tests)

(def-suite streamdb :description "The streamdb binding, the dcf-db layer and the SBCL/.NET hazards")

(defvar *scratch-root* nil "Per-run scratch directory, removed by RUN-SUITE.")

(defun scratch-root ()
  (or *scratch-root*
      (setf *scratch-root*
            (let ((dir (format nil "~A/streamdb-lisp-~D-~D/"
                               (string-right-trim "/" (or (sb-ext:posix-getenv "TMPDIR") "/tmp"))
                               (sb-unix:unix-getpid) (get-universal-time))))
              (ensure-directories-exist dir)
              dir))))

(defvar *scratch-counter* 0)

(defun scratch-file (&optional (name "db"))
  "A fresh, not yet existing file name in the scratch directory."
  (format nil "~A~A-~D.sdb" (scratch-root) name (incf *scratch-counter*)))

(defmacro with-scratch-db ((var &rest options) &body body)
  "A new database file (no fsync: scratch data) bound to VAR around BODY."
  `(with-database (,var (scratch-file) :no-sync t ,@options)
     ,@body))

(defmacro with-memory-db ((var &rest options) &body body)
  `(with-database (,var :memory ,@options)
     ,@body))

(defparameter *seed*
  (let ((env (sb-ext:posix-getenv "STREAMDB_TEST_SEED")))
    (if (and env (plusp (length env))) (parse-integer env) (random 1000000 (make-random-state t))))
  "Seed of every randomized test; set STREAMDB_TEST_SEED to replay a run.")

(defun seeded-random-state (&optional (salt 0))
  (sb-ext:seed-random-state (+ *seed* salt)))

(defun random-octets (n state)
  (let ((v (make-array n :element-type '(unsigned-byte 8))))
    (dotimes (i n v) (setf (aref v i) (random 256 state)))))

(defvar *zero* 0d0 "A zero the compiler cannot fold away.")

(defun octets (&rest bytes)
  (make-array (length bytes) :element-type '(unsigned-byte 8) :initial-contents bytes))

(defun utf8 (string)
  (sb-ext:string-to-octets string :external-format :utf-8))

(defun document-count (db)
  (getf (stats db) :documents))

(defmacro signals-status ((class status) &body body)
  "BODY signals a CLASS condition carrying STATUS and a non-empty message."
  (let ((c (gensym)))
    `(let ((,c (handler-case (progn ,@body nil)
                 (,class (e) e))))
       (is (typep ,c ',class) "expected ~S" ',class)
       (when ,c
         (is (= ,status (streamdb-error-status ,c)))
         (is (plusp (length (streamdb-error-message ,c))))))))

(defun run-child (script environment)
  "Run SCRIPT (in tests/) in a child SBCL with ENVIRONMENT added; its exit code and output."
  (let* ((output (make-string-output-stream))
         (process (sb-ext:run-program
                   "sbcl" (list "--noinform" "--non-interactive" "--disable-debugger"
                                "--no-userinit" "--load"
                                (namestring (asdf:system-relative-pathname
                                             "streamdb" (format nil "tests/~A" script))))
                   :search t :output output :error output
                   :environment (append environment (sb-ext:posix-environ)))))
    (values (sb-ext:process-exit-code process) (get-output-stream-string output))))
