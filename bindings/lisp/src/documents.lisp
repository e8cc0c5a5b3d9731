;;;; Whole-document operations.

(in-package #:streamdb)

(defun write-document (db path data)
  "Write DATA (an octet vector, or a string stored as UTF-8) as the new version of the
document bound at PATH, creating the document when PATH is unbound. Atomic. Returns the
document id (a UUID string)."
  (let ((key (path-octets path))
        (value (data-octets data)))
    (cffi:with-foreign-object (id :uint8 16)
      (with-octets (kp kl key)
        (with-octets (vp vl value)
          (check (sdb-write (handle db) kp kl vp vl id))))
      (id-string id))))

(defun read-document (db path &key (as :octets) (version 0) (if-does-not-exist :error))
  "The document at PATH as an octet vector, or with :AS :STRING decoded from UTF-8.
VERSION counts back from the current version (0) through the old versions kept.
When PATH is unbound: signals NOT-FOUND, or returns NIL with :IF-DOES-NOT-EXIST NIL."
  (check-type as (member :octets :string))
  (check-type version (unsigned-byte 32))
  (let ((key (path-octets path)))
    (cffi:with-foreign-objects ((data :pointer) (len :size))
      (let ((status (with-octets (kp kl key)
                      (if (zerop version)
                          (sdb-read (handle db) kp kl data len)
                          (sdb-read-version (handle db) kp kl version data len)))))
        (when (and (= status +err-not-found+) (null if-does-not-exist))
          (return-from read-document nil))
        (check status))
      (let ((octets (take-buffer (cffi:mem-ref data :pointer) (cffi:mem-ref len :size))))
        (if (eq as :string) (decode-utf-8 octets) octets)))))

(defun delete-document (db path)
  "Unbind PATH; the document is deleted when no path is left. Signals NOT-FOUND when PATH is
unbound. Returns T."
  (let ((key (path-octets path)))
    (with-octets (kp kl key)
      (check (sdb-delete (handle db) kp kl)))
    t))

(defun delete-document-id (db id)
  "Delete the document ID and every path bound to it. Returns T."
  (let ((bytes (id-octets id)))
    (with-octets (ip il bytes)
      (declare (ignore il))
      (check (sdb-delete-id (handle db) ip)))
    t))

(defun document-id (db path)
  "The id (UUID string) of the document bound at PATH."
  (let ((key (path-octets path)))
    (cffi:with-foreign-object (id :uint8 16)
      (with-octets (kp kl key)
        (check (sdb-get-id (handle db) kp kl id)))
      (id-string id))))

(defstruct (document-info (:constructor %make-document-info (id size version path-count
                                                              versions-kept)))
  "What streamdb_stat reports about the current version of a document."
  (id "" :type string :read-only t)
  (size 0 :type (unsigned-byte 64) :read-only t)
  (version 0 :type (unsigned-byte 64) :read-only t)
  (path-count 0 :type (unsigned-byte 32) :read-only t)
  (versions-kept 0 :type (unsigned-byte 32) :read-only t))

(defun document-info (db path)
  "A DOCUMENT-INFO for the document at PATH (id, size, version, path-count, versions-kept)."
  (let ((key (path-octets path)))
    (cffi:with-foreign-object (info '(:struct doc-info))
      (dotimes (i (cffi:foreign-type-size '(:struct doc-info)))
        (setf (cffi:mem-aref info :uint8 i) 0))
      (setf (cffi:foreign-slot-value info '(:struct doc-info) 'struct-size)
            (cffi:foreign-type-size '(:struct doc-info)))
      (with-octets (kp kl key)
        (check (sdb-stat (handle db) kp kl info)))
      (cffi:with-foreign-slots ((size version path-count versions-kept) info (:struct doc-info))
        (%make-document-info (id-string (cffi:foreign-slot-pointer info '(:struct doc-info) 'id))
                             size version path-count versions-kept)))))

(defun document-exists-p (db path)
  "True when PATH is bound to a document."
  (handler-case (progn (document-id db path) t)
    (not-found () nil)))
