;;;; Streaming readers and writers: documents larger than memory, chunk by chunk.
;;;; A reader or writer is used by one thread at a time.

(in-package #:streamdb)

(defclass foreign-object ()
  ((handle :initarg :handle :accessor %handle)))

(defun live-handle (object what)
  (let ((h (%handle object)))
    (when (cffi:null-pointer-p h)
      (reject "the ~A is closed" what))
    h))

(defclass reader (foreign-object) ()
  (:documentation "Reads one version of one document: the version current at open, even if
it is overwritten or deleted meanwhile."))

(defun open-reader (db path)
  "A READER of the current version of the document at PATH. Close it with CLOSE-READER."
  (let ((key (path-octets path)))
    (cffi:with-foreign-object (out :pointer)
      (with-octets (kp kl key)
        (check (sdb-reader-open (handle db) kp kl out)))
      (make-instance 'reader :handle (cffi:mem-ref out :pointer)))))

(defun close-reader (reader)
  (let ((h (%handle reader)))
    (unless (cffi:null-pointer-p h)
      (setf (%handle reader) (cffi:null-pointer))
      (sdb-reader-close h))
    nil))

(defmacro with-reader ((var db path) &body body)
  "Bind VAR to a READER of the document at PATH around BODY; READ-CHUNK reads from it."
  `(let ((,var (open-reader ,db ,path)))
     (unwind-protect (progn ,@body)
       (close-reader ,var))))

(defun read-chunk (reader)
  "The next chunk of the document as a fresh octet vector, or NIL at the end."
  (cffi:with-foreign-objects ((chunk :pointer) (len :size))
    (if (= +done+ (check (sdb-reader-next (live-handle reader "reader") chunk len)))
        nil
        (foreign-octets (cffi:mem-ref chunk :pointer) (cffi:mem-ref len :size)))))

(defun reader-size (reader)
  "Size in bytes of the version the reader reads."
  (cffi:with-foreign-object (size :uint64)
    (check (sdb-reader-size (live-handle reader "reader") size))
    (cffi:mem-ref size :uint64)))

(defun reader-seek (reader offset)
  "Continue reading at byte OFFSET (at most the size). Returns OFFSET."
  (check-type offset (unsigned-byte 64))
  (check (sdb-reader-seek (live-handle reader "reader") offset))
  offset)

(defclass writer (foreign-object) ()
  (:documentation "Writes a new version of one document; nothing is visible until commit."))

(defun open-writer (db path)
  "A WRITER of a new version of the document at PATH. Finish it with COMMIT-WRITER or
ABORT-WRITER (or use WITH-WRITER)."
  (let ((key (path-octets path)))
    (cffi:with-foreign-object (out :pointer)
      (with-octets (kp kl key)
        (check (sdb-writer-open (handle db) kp kl out)))
      (make-instance 'writer :handle (cffi:mem-ref out :pointer)))))

(defun write-chunk (writer data)
  "Append DATA (octets or a UTF-8 string) to the new version. Returns the number of bytes."
  (let ((value (data-octets data)))
    (with-octets (vp vl value)
      (check (sdb-writer-write (live-handle writer "writer") vp vl))
      vl)))

(defun commit-writer (writer)
  "Publish the new version atomically and finish WRITER. Returns the document id."
  (let ((h (live-handle writer "writer")))
    (setf (%handle writer) (cffi:null-pointer))
    (cffi:with-foreign-object (id :uint8 16)
      (check (sdb-writer-commit h id))
      (id-string id))))

(defun abort-writer (writer)
  "Discard everything written; nothing becomes visible. A finished writer is left alone."
  (let ((h (%handle writer)))
    (unless (cffi:null-pointer-p h)
      (setf (%handle writer) (cffi:null-pointer))
      (sdb-writer-abort h))
    nil))

(defmacro with-writer ((var db path) &body body)
  "Bind VAR to a WRITER for PATH around BODY (WRITE-CHUNK appends to it). Commits when BODY
returns normally and returns the document id; aborts when BODY exits non-locally."
  (let ((ok (gensym "OK")))
    `(let ((,var (open-writer ,db ,path))
           (,ok nil))
       (unwind-protect
            (progn ,@body
                   (prog1 (commit-writer ,var) (setf ,ok t)))
         (unless ,ok (abort-writer ,var))))))
