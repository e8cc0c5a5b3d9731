;;;; A small JSON writer, reader and schema check for the dcf-db layer (no Quicklisp here,
;;;; and D-LISP stores JSON text). Lisp to JSON (TO-JSON):
;;;;   string, character -> string      integer, ratio, float -> number (NaN/Inf rejected)
;;;;   T, :TRUE -> true   :FALSE -> false   NIL, :NULL -> null   other symbol -> its
;;;;   lowercase name as a string       hash table -> object     vector -> array
;;;;   list -> object when every element is a cons whose car is a string or symbol (an alist,
;;;;   as cl-json reads it); else object when it is a plist with keyword keys; else array.
;;;;   Object keys: strings as they are, symbols as their lowercase names.
;;;; JSON to Lisp (PARSE-JSON): object -> EQUAL hash table with string keys, array -> simple
;;;; vector, string, integer or double-float, and :TRUE :FALSE :NULL.

(in-package #:dcf-db)

(define-condition schema-error (streamdb:invalid-argument)
  ((reason :initarg :reason :reader schema-error-reason))
  (:default-initargs :status -3)
  (:documentation "Data that is not JSON, or JSON that does not match the schema given to
DCF-DB-INSERT or DCF-DB-QUERY."))

(defun schema-fail (format-control &rest args)
  (let ((reason (apply #'format nil format-control args)))
    (error 'schema-error :reason reason
                         :message (format nil "schema validation failed: ~A" reason))))

(defun json-fail (format-control &rest args)
  (error 'streamdb:invalid-argument
         :status -3 :message (apply #'format nil format-control args)))

;;; Writing

(defun write-json-string (string stream)
  (write-char #\" stream)
  (loop for c across string
        for code = (char-code c)
        do (case c
             (#\" (write-string "\\\"" stream))
             (#\\ (write-string "\\\\" stream))
             (#\Newline (write-string "\\n" stream))
             (#\Return (write-string "\\r" stream))
             (#\Tab (write-string "\\t" stream))
             (t (if (< code #x20)
                    (format stream "\\u~4,'0x" code)
                    (write-char c stream)))))
  (write-char #\" stream))

(defun write-json-number (number stream)
  (if (integerp number)
      (format stream "~D" number)
      (let ((d (coerce number 'double-float)))
        (when (or (sb-ext:float-nan-p d) (sb-ext:float-infinity-p d))
          (json-fail "JSON has no ~A" d))
        (let ((*read-default-float-format* 'double-float))
          (prin1 d stream)))))

(defun json-key (key)
  (typecase key
    (string key)
    (symbol (string-downcase (symbol-name key)))
    (integer (format nil "~D" key))
    (character (string key))
    (t (json-fail "~S cannot be a JSON object key" key))))

(defun alistp (list)
  (and (consp list)
       (every (lambda (e) (and (consp e) (typep (car e) '(or string (and symbol (not null))))))
              list)))

(defun plistp (list)
  (and (consp list)
       (evenp (length list))
       (loop for (k) on list by #'cddr always (keywordp k))))

(defun write-json-object (pairs stream)
  "PAIRS: a list of (key . value)."
  (write-char #\{ stream)
  (loop for ((k . v) . more) on pairs
        do (write-json-string (json-key k) stream)
           (write-char #\: stream)
           (write-json v stream)
           (when more (write-char #\, stream)))
  (write-char #\} stream))

(defun write-json-array (items stream)
  (write-char #\[ stream)
  (let ((first t))
    (map nil (lambda (x)
               (unless first (write-char #\, stream))
               (setf first nil)
               (write-json x stream))
         items))
  (write-char #\] stream))

(defun write-json (object stream)
  (typecase object
    (string (write-json-string object stream))
    (character (write-json-string (string object) stream))
    (real (write-json-number object stream))
    ((member t :true) (write-string "true" stream))
    ((member :false) (write-string "false" stream))
    ((member nil :null) (write-string "null" stream))
    (symbol (write-json-string (string-downcase (symbol-name object)) stream))
    (hash-table (write-json-object (loop for k being the hash-keys of object using (hash-value v)
                                         collect (cons k v))
                                   stream))
    (cons (cond ((alistp object) (write-json-object object stream))
                ((plistp object) (write-json-object (loop for (k v) on object by #'cddr
                                                          collect (cons k v))
                                                    stream))
                (t (write-json-array object stream))))
    (vector (write-json-array object stream))
    (t (json-fail "~S has no JSON form" (type-of object)))))

(defun to-json (object)
  "OBJECT as JSON text (see the mapping at the top of json.lisp)."
  (with-output-to-string (s) (write-json object s)))

;;; Reading

(defun parse-json (text)
  "The value of the JSON TEXT; signals STREAMDB:INVALID-ARGUMENT when TEXT is not JSON."
  (let ((pos 0) (end (length text)))
    (labels ((fail (what)
               (json-fail "not JSON: ~A at offset ~D" what pos))
             (peek () (if (< pos end) (char text pos) nil))
             (next () (if (< pos end) (prog1 (char text pos) (incf pos)) (fail "unexpected end")))
             (skip-ws ()
               (loop while (and (< pos end) (member (char text pos) '(#\Space #\Tab #\Newline #\Return)))
                     do (incf pos)))
             (expect (string)
               (unless (and (<= (+ pos (length string)) end)
                            (string= string text :start2 pos :end2 (+ pos (length string))))
                 (fail (format nil "expected ~A" string)))
               (incf pos (length string)))
             (value ()
               (skip-ws)
               (let ((c (peek)))
                 (case c
                   (#\{ (object))
                   (#\[ (array))
                   (#\" (str))
                   (#\t (expect "true") :true)
                   (#\f (expect "false") :false)
                   (#\n (expect "null") :null)
                   (t (if (and c (or (char= c #\-) (digit-char-p c)))
                          (num)
                          (fail "unexpected character"))))))
             (object ()
               (next)
               (let ((table (make-hash-table :test #'equal)))
                 (skip-ws)
                 (if (eql (peek) #\})
                     (next)
                     (loop
                       (skip-ws)
                       (unless (eql (peek) #\") (fail "expected a key"))
                       (let ((k (str)))
                         (skip-ws)
                         (unless (eql (next) #\:) (fail "expected :"))
                         (setf (gethash k table) (value)))
                       (skip-ws)
                       (case (next)
                         (#\, nil)
                         (#\} (return))
                         (t (fail "expected , or }")))))
                 table))
             (array ()
               (next)
               (let ((items '()))
                 (skip-ws)
                 (if (eql (peek) #\])
                     (next)
                     (loop
                       (push (value) items)
                       (skip-ws)
                       (case (next)
                         (#\, nil)
                         (#\] (return))
                         (t (fail "expected , or ]")))))
                 (coerce (nreverse items) 'simple-vector)))
             (hex4 ()
               (when (> (+ pos 4) end) (fail "short \\u escape"))
               (prog1 (or (ignore-errors (parse-integer text :start pos :end (+ pos 4) :radix 16))
                          (fail "bad \\u escape"))
                 (incf pos 4)))
             (str ()
               (next)
               (with-output-to-string (out)
                 (loop
                   (let ((c (next)))
                     (cond ((char= c #\") (return))
                           ((< (char-code c) #x20) (fail "control character in string"))
                           ((char= c #\\)
                            (let ((e (next)))
                              (case e
                                (#\" (write-char #\" out))
                                (#\\ (write-char #\\ out))
                                (#\/ (write-char #\/ out))
                                (#\b (write-char (code-char 8) out))
                                (#\f (write-char (code-char 12) out))
                                (#\n (write-char #\Newline out))
                                (#\r (write-char #\Return out))
                                (#\t (write-char #\Tab out))
                                (#\u (let ((code (hex4)))
                                       (when (<= #xD800 code #xDBFF)
                                         (expect "\\u")
                                         (let ((low (hex4)))
                                           (unless (<= #xDC00 low #xDFFF) (fail "bad surrogate pair"))
                                           (setf code (+ #x10000 (ash (- code #xD800) 10)
                                                         (- low #xDC00)))))
                                       (when (<= #xDC00 code #xDFFF) (fail "lone surrogate"))
                                       (write-char (code-char code) out)))
                                (t (fail "bad escape")))))
                           (t (write-char c out)))))))
             (digits ()
               (let ((start pos))
                 (loop while (and (< pos end) (digit-char-p (char text pos))) do (incf pos))
                 (when (= start pos) (fail "expected a digit"))))
             (num ()
               (let ((start pos) (float nil))
                 (when (eql (peek) #\-) (next))
                 (if (eql (peek) #\0) (next) (digits))
                 (when (eql (peek) #\.) (next) (digits) (setf float t))
                 (when (member (peek) '(#\e #\E))
                   (next)
                   (when (member (peek) '(#\+ #\-)) (next))
                   (digits)
                   (setf float t))
                 (let ((token (subseq text start pos)))
                   (if float
                       (let ((*read-default-float-format* 'double-float)
                             (*read-eval* nil))
                         (handler-case
                             (sb-int:with-float-traps-masked (:overflow :underflow :inexact)
                               (coerce (read-from-string (substitute #\d #\E (substitute #\d #\e token)))
                                       'double-float))
                           (error () (fail "number out of range"))))
                       (parse-integer token))))))
      (prog1 (value)
        (skip-ws)
        (when (< pos end) (fail "trailing characters"))))))

;;; Schemas, in D-LISP's notation:
;;;   (:object (:required "peers") :properties (("peers" :array)))
;;; A schema is a type keyword (:object :array :string :integer :number :boolean :null), or a
;;; list of one followed by an optional (:required KEY...) and :properties ((KEY SCHEMA)...).

(defun json-type-p (value type)
  (ecase type
    (:object (hash-table-p value))
    (:array (simple-vector-p value))
    (:string (stringp value))
    (:integer (integerp value))
    (:number (realp value))
    (:boolean (member value '(:true :false)))
    (:null (eq value :null))))

(defun validate-json (value schema &optional (where "the value"))
  "Check the parsed JSON VALUE against SCHEMA; signals SCHEMA-ERROR saying what differs."
  (let* ((type (if (listp schema) (first schema) schema))
         (rest (if (listp schema) (rest schema) '()))
         (required (rest (find-if (lambda (x) (and (consp x) (eq (car x) :required))) rest)))
         (properties (second (member :properties rest))))
    (unless (member type '(:object :array :string :integer :number :boolean :null))
      (json-fail "~S is not a schema type" type))
    (unless (json-type-p value type)
      (schema-fail "~A should be ~(~A~)" where type))
    (when (eq type :object)
      (dolist (key required)
        (unless (nth-value 1 (gethash key value))
          (schema-fail "~A lacks the required key ~S" where key)))
      (loop for (key sub) in properties
            do (multiple-value-bind (v present) (gethash key value)
                 (when present
                   (validate-json v sub (format nil "~S" key))))))
    t))
