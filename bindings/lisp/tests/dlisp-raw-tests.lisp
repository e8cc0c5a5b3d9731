;;;; The foreign calls D-LISP (HydraMesh) makes itself, declared exactly as D-LISP declares
;;;; them (explicit underscore names, :size lengths, :boolean quick mode), checked against
;;;; what its code expects: 0 is success, NULL means missing, buffers from streamdb_get are
;;;; released with cffi:foreign-free, prefix-search results are a linked list of
;;;; streamdb_result nodes released with streamdb_free_results.

(in-package #:streamdb-tests)

(def-suite dlisp-raw-calls :in streamdb)
(in-suite dlisp-raw-calls)

(cffi:defcfun ("streamdb_init" streamdb_init) :pointer (file-path :string) (flush-interval-ms :int))
(cffi:defcfun ("streamdb_insert" streamdb_insert) :int
  (db :pointer) (key :pointer) (key-len :size) (value :pointer) (value-size :size))
(cffi:defcfun ("streamdb_get" streamdb_get) :pointer
  (db :pointer) (key :pointer) (key-len :size) (size-ptr :pointer))
(cffi:defcfun ("streamdb_delete" streamdb_delete) :int (db :pointer) (key :pointer) (key-len :size))
(cffi:defcfun ("streamdb_prefix_search" streamdb_prefix_search) :pointer
  (db :pointer) (prefix :pointer) (prefix-len :size))
(cffi:defcfun ("streamdb_free_results" streamdb_free_results) :void (results :pointer))
(cffi:defcfun ("streamdb_flush" streamdb_flush) :int (db :pointer))
(cffi:defcfun ("streamdb_free" streamdb_free) :void (db :pointer))
(cffi:defcfun ("streamdb_set_quick_mode" streamdb_set_quick_mode) :void (db :pointer) (quick :boolean))

;;; D-LISP's struct for the list nodes (its fix F8).
(cffi:defcstruct dlisp-result
  (key :pointer) (key-len :size) (value :pointer) (value-size :size) (next :pointer))

(defmacro dl (&body body)
  "A D-LISP call site, with the guard every caller in this process needs (see guard.lisp)."
  `(with-foreign-guard ,@body))

(defun string-to-byte-array (str)
  "D-LISP's helper: a malloc'ed copy of STR's UTF-8 bytes and its length."
  (let* ((octets (utf8 str))
         (len (length octets))
         (ptr (cffi:foreign-alloc :uint8 :count (max 1 len))))
    (dotimes (i len) (setf (cffi:mem-aref ptr :uint8 i) (aref octets i)))
    (values ptr len)))

(defun dl-insert (db key value)
  (multiple-value-bind (kp kl) (string-to-byte-array key)
    (multiple-value-bind (vp vl) (string-to-byte-array value)
      (unwind-protect (dl (streamdb_insert db kp kl vp vl))
        (cffi:foreign-free vp)
        (cffi:foreign-free kp)))))

(defun dl-get (db key)
  "The value at KEY as a string, or :NULL when streamdb_get returns NULL."
  (multiple-value-bind (kp kl) (string-to-byte-array key)
    (let ((size-ptr (cffi:foreign-alloc :size)))
      (unwind-protect
           (let ((data (dl (streamdb_get db kp kl size-ptr))))
             (if (cffi:null-pointer-p data)
                 :null
                 (prog1 (sb-ext:octets-to-string
                         (streamdb::foreign-octets data (cffi:mem-ref size-ptr :size))
                         :external-format :utf-8)
                   (cffi:foreign-free data))))
        (cffi:foreign-free size-ptr)
        (cffi:foreign-free kp)))))

(defun dl-delete (db key)
  (multiple-value-bind (kp kl) (string-to-byte-array key)
    (unwind-protect (dl (streamdb_delete db kp kl))
      (cffi:foreign-free kp))))

(defun dl-search (db prefix)
  "Walk streamdb_prefix_search's list: a list of (key value key-nul-terminated-p), or :NULL."
  (multiple-value-bind (pp pl) (string-to-byte-array prefix)
    (unwind-protect
         (let ((results (dl (streamdb_prefix_search db pp pl))))
           (if (cffi:null-pointer-p results)
               :null
               (unwind-protect
                    (loop for node = results
                            then (cffi:foreign-slot-value node '(:struct dlisp-result) 'next)
                          until (cffi:null-pointer-p node)
                          collect (cffi:with-foreign-slots ((key key-len value value-size)
                                                            node (:struct dlisp-result))
                                    (list (sb-ext:octets-to-string
                                           (streamdb::foreign-octets key key-len)
                                           :external-format :utf-8)
                                          (sb-ext:octets-to-string
                                           (streamdb::foreign-octets value value-size)
                                           :external-format :utf-8)
                                          (zerop (cffi:mem-aref key :uint8 key-len)))))
                 (dl (streamdb_free_results results)))))
      (cffi:foreign-free pp))))

(test the-calls-d-lisp-makes-behave-as-it-expects
  (streamdb:load-library)
  (let* ((file (scratch-file "dlisp"))
         (db (dl (streamdb_init file 5000))))
    (is (not (cffi:null-pointer-p db)) "streamdb_init returns a handle")
    (unless (cffi:null-pointer-p db)
    (dl (streamdb_set_quick_mode db t))
    (is (= 0 (dl-insert db "/state/peers" "{\"peers\":[\"a\"]}")))
    (is (= 0 (dl-insert db "/state/peers/n1" "one")))
    (is (= 0 (dl-insert db "/state/peersX" "x")))
    (is (= 0 (dl-insert db "/tx/1/messages" "m")))
    (is (= 0 (dl-insert db "/state/peers/n1" "one, again")) "overwrite is success too")
    (is (string= "{\"peers\":[\"a\"]}" (dl-get db "/state/peers")))
    (is (string= "one, again" (dl-get db "/state/peers/n1")))
    (is (eq :null (dl-get db "/missing")) "a missing key is NULL")
    (is (equal '(("/state/peers" "{\"peers\":[\"a\"]}" t)
                 ("/state/peers/n1" "one, again" t)
                 ("/state/peersX" "x" t))
               (dl-search db "/state/peers")))
    (is (equal '(("/state/peers/n1" "one, again" t)) (dl-search db "/state/peers/")))
    (is (eq :null (dl-search db "/nothing/")) "no match is NULL")
    (is (= 0 (dl-delete db "/state/peersX")))
    (is (/= 0 (dl-delete db "/state/peersX")) "deleting a missing key is not success")
    (dl (streamdb_set_quick_mode db nil))
    (is (= 0 (dl (streamdb_flush db))))
    (dl (streamdb_free db))
    ;; a second streamdb_init sees everything (streamdb_free made it durable)
    (let ((again (dl (streamdb_init file 5000))))
      (is (not (cffi:null-pointer-p again)))
      (unless (cffi:null-pointer-p again)
        (is (equal '("/state/peers" "/state/peers/n1" "/tx/1/messages")
                   (mapcar #'first (dl-search again "/"))))
        (dl (streamdb_free again)))))))

(test streamdb-init-on-an-impossible-path-returns-null-with-a-message
  (streamdb:load-library)
  (let ((db (dl (streamdb_init "/nonexistent-directory/deeper/x.sdb" 5000))))
    (is (cffi:null-pointer-p db))
    (is (plusp (length (streamdb::last-error-message -1))))))

(test null-handles-are-rejected-without-crashing
  (streamdb:load-library)
  (let ((null (cffi:null-pointer)))
    (is (= -3 (dl-insert null "/a" "x")))
    (is (eq :null (dl-get null "/a")))
    (is (eq :null (dl-search null "/")))
    (is (/= 0 (dl (streamdb_flush null))))
    (dl (streamdb_free_results null))
    (dl (streamdb_set_quick_mode null t))
    (dl (streamdb_free null))
    (pass "streamdb_free, streamdb_free_results and streamdb_set_quick_mode accept NULL")))

(test d-lisp-unchanged-without-the-guard-survives-sbcl-float-traps
  ;; D-LISP calls libstreamdb without any guard. In a child SBCL (so that a crash is a
  ;; failure, not the end of this suite) its call sequence runs unguarded with SBCL's traps on.
  (let* ((script (asdf:system-relative-pathname "streamdb" "tests/dlisp-unguarded.lisp"))
         (output (make-string-output-stream))
         (process (sb-ext:run-program "sbcl" (list "--script" (namestring script)
                                                   (streamdb:load-library)
                                                   (scratch-file "unguarded"))
                                      :search t :output output :error output)))
    (let ((text (get-output-stream-string output)))
      (is (eql 0 (sb-ext:process-exit-code process)) "child exited ~A:~%~A"
          (sb-ext:process-exit-code process) text)
      (is (cl:search "ok" text)))))
