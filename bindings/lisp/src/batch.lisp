;;;; Atomic groups of writes and deletes: all or nothing, one sync.

(in-package #:streamdb)

(defclass batch (foreign-object) ()
  (:documentation "An open batch; see WITH-BATCH."))

(defun batch-write (batch path data)
  "Add writing DATA (octets or a UTF-8 string) at PATH to BATCH."
  (let ((key (path-octets path))
        (value (data-octets data)))
    (with-octets (kp kl key)
      (with-octets (vp vl value)
        (check (sdb-batch-write (live-handle batch "batch") kp kl vp vl))))
    t))

(defun batch-delete (batch path)
  "Add deleting PATH to BATCH. A PATH that is unbound at commit fails the whole batch."
  (let ((key (path-octets path)))
    (with-octets (kp kl key)
      (check (sdb-batch-delete (live-handle batch "batch") kp kl)))
    t))

(defun begin-batch (db)
  (cffi:with-foreign-object (out :pointer)
    (check (sdb-batch-begin (handle db) out))
    (make-instance 'batch :handle (cffi:mem-ref out :pointer))))

(defun commit-batch (batch)
  (let ((h (live-handle batch "batch")))
    (setf (%handle batch) (cffi:null-pointer))
    (check (sdb-batch-commit h))
    t))

(defun abort-batch (batch)
  (let ((h (%handle batch)))
    (unless (cffi:null-pointer-p h)
      (setf (%handle batch) (cffi:null-pointer))
      (sdb-batch-abort h))))

(defmacro with-batch ((var db) &body body)
  "Bind VAR to a new batch on DB around BODY (use BATCH-WRITE and BATCH-DELETE). When BODY
returns normally every change commits atomically (one sync) and BODY's values are returned;
when BODY exits non-locally, or the commit fails, nothing changes."
  (let ((ok (gensym "OK")))
    `(let ((,var (begin-batch ,db))
           (,ok nil))
       (unwind-protect
            (multiple-value-prog1 (progn ,@body)
              (commit-batch ,var)
              (setf ,ok t))
         (unless ,ok (abort-batch ,var))))))
