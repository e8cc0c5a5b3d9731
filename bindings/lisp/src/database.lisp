;;;; Database handles: opening (file or memory), closing, snapshots.

(in-package #:streamdb)

(defclass database ()
  ((handle :initarg :handle :accessor %handle)
   (path :initarg :path :initform nil :reader database-path
         :documentation "The database file, or NIL for an in-memory database.")
   (owned :initarg :owned :initform t :reader database-owned-p
          :documentation "NIL for a handle borrowed from foreign code (see NODE-DATABASE):
closing the Lisp object then only forgets the handle."))
  (:documentation "An open libstreamdb database (or read-only snapshot). Usable from any
number of threads at once; close it once, after every thread is done with it."))

(defmethod print-object ((db database) stream)
  (print-unreadable-object (db stream :type t :identity t)
    (format stream "~:[memory~;~:*~S~] ~:[closed~;open~]"
            (database-path db) (database-open-p db))))

(defun database-open-p (db)
  (not (cffi:null-pointer-p (%handle db))))

(defun handle (db)
  "The foreign handle of DB; signals INVALID-ARGUMENT once DB is closed."
  (unless (typep db 'database)
    (reject "~S is not a streamdb database" db))
  (let ((h (%handle db)))
    (when (cffi:null-pointer-p h)
      (reject "the database is closed"))
    h))

(defun flag-bits (&rest pairs)
  (loop for (on bit) on pairs by #'cddr when on sum bit))

(defun set-option (opts slot value type)
  (when value
    (unless (typep value type)
      (reject "option ~(~A~) must be of type ~S, not ~S" slot type value))
    (setf (cffi:foreign-slot-value opts '(:struct options) slot) value)))

(defun open-database (path &key read-only no-create compress quick no-sync
                                page-size max-document-size max-db-size page-cache-pages
                                versions-to-keep flush-interval-ms)
  "Open (creating it unless NO-CREATE or READ-ONLY) the database file PATH, or an in-memory
database when PATH is NIL or :MEMORY. Keyword options map to streamdb_options; NIL leaves
the library's default. Returns a DATABASE; close it with CLOSE-DATABASE (or use
WITH-DATABASE)."
  (load-library)
  (cffi:with-foreign-objects ((opts '(:struct options)) (out :pointer))
    (sdb-options-init opts)
    (set-option opts 'page-size page-size '(unsigned-byte 32))
    (set-option opts 'max-document-size max-document-size '(unsigned-byte 64))
    (set-option opts 'max-db-size max-db-size '(unsigned-byte 64))
    (set-option opts 'page-cache-pages page-cache-pages '(unsigned-byte 32))
    (set-option opts 'versions-to-keep versions-to-keep '(signed-byte 32))
    (set-option opts 'flush-interval-ms flush-interval-ms '(unsigned-byte 32))
    (setf (cffi:foreign-slot-value opts '(:struct options) 'flags)
          (logior (cffi:foreign-slot-value opts '(:struct options) 'flags)
                  (flag-bits read-only +open-read-only+ no-create +open-no-create+
                             compress +open-compress+ quick +open-quick+
                             no-sync +open-no-sync+)))
    (setf (cffi:mem-ref out :pointer) (cffi:null-pointer))
    (let ((file (unless (or (null path) (eq path :memory))
                  (sb-ext:native-namestring (merge-pathnames path)))))
      (if file
          (cffi:with-foreign-string (name file :encoding :utf-8)
            (check (sdb-open name opts out)))
          (check (sdb-open-memory opts out)))
      (make-instance 'database :handle (cffi:mem-ref out :pointer) :path file))))

(defun close-database (db)
  "Make everything durable, release the file lock and invalidate DB. Closing a closed
database does nothing and returns NIL; otherwise returns T."
  (let ((h (%handle db)))
    (unless (cffi:null-pointer-p h)
      (setf (%handle db) (cffi:null-pointer))
      (when (database-owned-p db)
        (check (sdb-close h)))
      t)))

(defmacro with-database ((var path &rest options) &body body)
  "Open the database at PATH with OPTIONS (see OPEN-DATABASE), bind it to VAR around BODY and
close it however BODY exits."
  `(let ((,var (open-database ,path ,@options)))
     (unwind-protect (progn ,@body)
       (close-database ,var))))

(defun snapshot (db)
  "A read-only DATABASE showing what DB has committed now; later writes to DB do not show in
it. Close it with CLOSE-DATABASE."
  (cffi:with-foreign-object (out :pointer)
    (check (sdb-snapshot (handle db) out))
    (make-instance 'database :handle (cffi:mem-ref out :pointer) :path (database-path db))))

(defmacro with-snapshot ((var db) &body body)
  `(let ((,var (snapshot ,db)))
     (unwind-protect (progn ,@body)
       (close-database ,var))))

(defun library-version ()
  "libstreamdb's version, \"MAJOR.MINOR.PATCH\"."
  (load-library)
  (sdb-version))
