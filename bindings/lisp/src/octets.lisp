;;;; Converting Lisp data to the bytes the library takes, and its buffers back to Lisp.

(in-package #:streamdb)

(deftype octets () '(simple-array (unsigned-byte 8) (*)))

(defun utf-8 (string)
  "STRING as UTF-8 octets; signals INVALID-ARGUMENT for characters UTF-8 cannot encode
(lone surrogates)."
  (handler-case (sb-ext:string-to-octets string :external-format :utf-8)
    (error () (reject "~S cannot be encoded as UTF-8" string))))

(defun decode-utf-8 (octets)
  "OCTETS as a string; signals INVALID-ARGUMENT when they are not valid UTF-8."
  (handler-case (sb-ext:octets-to-string octets :external-format :utf-8)
    (error () (reject "the data is not valid UTF-8"))))

(defun path-octets (path)
  "PATH (a string or octet vector) as UTF-8 octets. Validity (1..4096 bytes, valid UTF-8,
no NUL) is the library's to judge, so that every binding reports it the same way."
  (etypecase path
    (string (utf-8 path))
    (vector (data-octets path))))

(defun data-octets (data)
  "DATA as a simple octet vector: strings are encoded as UTF-8, octet vectors are used as
they are (copied only when not simple)."
  (typecase data
    (octets data)
    (string (utf-8 data))
    (vector
     (unless (every (lambda (x) (typep x '(unsigned-byte 8))) data)
       (reject "data must be a string or a vector of octets, not ~S" (type-of data)))
     (coerce data 'octets))
    (t (reject "data must be a string or a vector of octets, not ~S" (type-of data)))))

(defmacro with-octets ((pointer length octets) &body body)
  "Bind POINTER and LENGTH to the pinned data of the simple octet vector OCTETS."
  (let ((v (gensym "OCTETS")))
    `(let ((,v ,octets))
       (declare (type octets ,v))
       (cffi:with-pointer-to-vector-data (,pointer ,v)
         (let ((,length (length ,v)))
           ,@body)))))

(defun foreign-octets (pointer length)
  "A fresh octet vector with LENGTH bytes copied from foreign memory at POINTER."
  (let ((v (make-array length :element-type '(unsigned-byte 8))))
    (when (plusp length)
      (cffi:with-pointer-to-vector-data (dst v)
        (cffi:foreign-funcall "memcpy" :pointer dst :pointer pointer :size length :pointer)))
    v))

(defun take-buffer (pointer length)
  "Copy a library-allocated buffer into Lisp and release it."
  (unwind-protect (foreign-octets pointer length)
    (sdb-free-buffer pointer)))

;;; Document ids: the library's 16 bytes (RFC 4122 order); Lisp sees the canonical
;;; lowercase UUID string, and accepts that string or the 16 octets.

(defun id-string (pointer)
  (let ((hex (with-output-to-string (s)
               (dotimes (i 16)
                 (format s "~(~2,'0x~)" (cffi:mem-aref pointer :uint8 i))))))
    (format nil "~A-~A-~A-~A-~A"
            (subseq hex 0 8) (subseq hex 8 12) (subseq hex 12 16)
            (subseq hex 16 20) (subseq hex 20 32))))

(defun id-octets (id)
  "The 16 bytes of ID (a UUID string, with or without dashes, or 16 octets)."
  (etypecase id
    (string
     (let ((hex (remove #\- id)))
       (unless (and (= (length hex) 32) (every (lambda (c) (digit-char-p c 16)) hex))
         (reject "~S is not a document id (a UUID string)" id))
       (let ((v (make-array 16 :element-type '(unsigned-byte 8))))
         (dotimes (i 16 v)
           (setf (aref v i) (parse-integer hex :start (* 2 i) :end (+ 2 (* 2 i)) :radix 16))))))
    (vector
     (unless (= (length id) 16)
       (reject "a document id has 16 bytes, not ~D" (length id)))
     (data-octets id))))
