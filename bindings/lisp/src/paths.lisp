;;;; Path search and binding.

(in-package #:streamdb)

(defun drain-iterator (iter)
  "Every path ITER yields, as strings, then free ITER."
  (unwind-protect
       (cffi:with-foreign-objects ((path :pointer) (len :size))
         (loop for status = (check (sdb-iter-next iter path len))
               until (= status +done+)
               collect (decode-utf-8 (foreign-octets (cffi:mem-ref path :pointer)
                                                     (cffi:mem-ref len :size)))))
    (sdb-iter-free iter)))

(defun search (db prefix)
  "Every bound path that starts with PREFIX (byte-wise; the exact match included), as a list
of strings in byte order. The empty prefix lists every path."
  (let ((key (path-octets prefix)))
    (cffi:with-foreign-object (iter :pointer)
      (with-octets (kp kl key)
        (check (sdb-search (handle db) kp kl iter)))
      (drain-iterator (cffi:mem-ref iter :pointer)))))

(defun bind-path (db id path)
  "Bind PATH to the existing document ID (a UUID string or 16 octets; see DOCUMENT-ID). A
PATH bound to another document is rebound. Returns T."
  (let ((bytes (id-octets id))
        (key (path-octets path)))
    (with-octets (ip il bytes)
      (declare (ignore il))
      (with-octets (kp kl key)
        (check (sdb-bind (handle db) ip kp kl))))
    t))

(defun unbind-path (db id path)
  "Unbind PATH from document ID; the document stays, even with no path left. Returns T."
  (let ((bytes (id-octets id))
        (key (path-octets path)))
    (with-octets (ip il bytes)
      (declare (ignore il))
      (with-octets (kp kl key)
        (check (sdb-unbind (handle db) ip kp kl))))
    t))

(defun list-paths (db id)
  "The paths bound to document ID, as strings in byte order."
  (let ((bytes (id-octets id)))
    (cffi:with-foreign-object (iter :pointer)
      (with-octets (ip il bytes)
        (declare (ignore il))
        (check (sdb-list-paths (handle db) ip iter)))
      (drain-iterator (cffi:mem-ref iter :pointer)))))
