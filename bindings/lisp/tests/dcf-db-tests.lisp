(in-package #:streamdb-tests)

(def-suite dcf-db :in streamdb)
(in-suite dcf-db)

;;; D-LISP's node is a structure with a STREAMDB slot (accessor DCF-NODE-STREAMDB).
(defstruct dcf-node streamdb peers)

;;; Another application's node, adapted by a method on the protocol.
(defclass app-node () ((store :initarg :store :reader app-node-store)))
(defmethod node-database ((node app-node)) (app-node-store node))

(defparameter *state-schema* '(:object (:required "peers") :properties (("peers" :array))))

(test insert-and-query-a-string
  (with-memory-db (db)
    (let ((node (make-dcf-node :streamdb db)))
      (is (eq t (dcf-db-insert node "/state/config" "{\"mode\":\"p2p\"}")))
      (is (string= "{\"mode\":\"p2p\"}" (dcf-db-query node "/state/config"))))))

(test octets-are-stored-raw-and-come-back-as-octets-unless-they-are-text
  (with-memory-db (db)
    (let ((node (make-dcf-node :streamdb db)))
      (dcf-db-insert node "/raw" (octets 0 255 1))
      (is (equalp (octets 0 255 1) (dcf-db-query node "/raw")))
      (dcf-db-insert node "/rawtext" (utf8 "ok"))
      (is (equal "ok" (dcf-db-query node "/rawtext")))
      (dcf-db-insert node "/general" (vector 104 105))
      (is (equal "hi" (dcf-db-query node "/general"))))))

(test other-objects-are-stored-as-json-text
  (with-memory-db (db)
    (let ((node (make-dcf-node :streamdb db)))
      (dcf-db-insert node "/state/peers" (list (cons :peers (list "10.0.0.2:7777" "10.0.0.3:7777"))))
      (is (string= "{\"peers\":[\"10.0.0.2:7777\",\"10.0.0.3:7777\"]}"
                   (dcf-db-query node "/state/peers" :schema *state-schema*)))
      (dcf-db-insert node "/metrics" '(:sends 3 :receives 4 :rtt 1.5d0))
      (is (string= "{\"sends\":3,\"receives\":4,\"rtt\":1.5}" (dcf-db-query node "/metrics"))))))

(test data-violating-the-schema-signals-schema-error-and-writes-nothing
  (with-memory-db (db)
    (let ((node (make-dcf-node :streamdb db)))
      (signals (schema-error) (dcf-db-insert node "/state/peers" '(:nodes #()) :schema *state-schema*))
      (signals (schema-error) (dcf-db-insert node "/state/peers" "not json" :schema *state-schema*))
      (signals (schema-error) (dcf-db-insert node "/state/peers" (octets 255) :schema *state-schema*))
      (is (null (dcf-db-search node "")))
      (dcf-db-insert node "/state/peers" "[]")
      (signals (schema-error) (dcf-db-query node "/state/peers" :schema *state-schema*))
      (let ((c (handler-case (dcf-db-insert node "/x" "{" :schema *state-schema*)
                 (schema-error (e) e))))
        (is (typep c 'invalid-argument) "a schema error is an invalid argument")
        (is (= -3 (streamdb-error-status c)))))))

(test search-is-a-true-prefix-search
  (with-memory-db (db)
    (let ((node (make-dcf-node :streamdb db)))
      (dolist (p '("/state/peers/b" "/state/peers/a" "/state/peersX" "/state/other" "/tx/1"))
        (dcf-db-insert node p "x"))
      (is (equal '("/state/peers/a" "/state/peers/b") (dcf-db-search node "/state/peers/")))
      (is (equal '("/state/peers/a" "/state/peers/b" "/state/peersX")
                 (dcf-db-search node "/state/peers")))
      (is (equal '("/state/other" "/state/peers/a" "/state/peers/b" "/state/peersX")
                 (dcf-db-search node "/state/")))
      (is (null (dcf-db-search node "/nothing"))))))

(test delete-and-missing-paths
  (with-memory-db (db)
    (let ((node (make-dcf-node :streamdb db)))
      (dcf-db-insert node "/d" "x")
      (is (eq t (dcf-db-delete node "/d")))
      (signals-status (not-found -2) (dcf-db-query node "/d"))
      (is (null (dcf-db-query node "/d" :if-does-not-exist nil)))
      (signals-status (not-found -2) (dcf-db-delete node "/d")))))

(test dcf-db-flush-makes-writes-survive-a-crash
  ;; A child process writes with group commit (60 s), flushes, and dies without closing.
  (let ((file (scratch-file "crash")))
    (multiple-value-bind (code output)
        (run-child "crash-child.lisp"
                   (list (format nil "STREAMDB_BINDING_DIR=~A"
                                 (namestring (asdf:system-source-directory "streamdb")))
                         (format nil "STREAMDB_LIBRARY=~A" (streamdb:load-library))
                         (format nil "STREAMDB_CHILD_FILE=~A" file)))
      (is (eql 3 code) "the child should die without closing, exit 3; got ~A:~%~A" code output))
    (with-database (db file :no-create t)
      (is (string= "{\"peers\":[\"n1\"]}" (dcf-db-query db "/state/peers"))))))

(test a-node-without-a-database-makes-every-call-return-nil
  (let ((node (make-dcf-node :streamdb nil)))
    (is (null (dcf-db-insert node "/a" "x")))
    (is (null (dcf-db-query node "/a")))
    (is (null (dcf-db-delete node "/a")))
    (is (null (dcf-db-search node "/")))
    (is (null (dcf-db-flush node)))))

(test the-node-may-be-a-database-or-an-object-with-its-own-method
  (with-memory-db (db)
    (dcf-db-insert db "/direct" "1")
    (let ((node (make-instance 'app-node :store db)))
      (is (string= "1" (dcf-db-query node "/direct"))))))

(test an-object-without-a-streamdb-handle-signals-invalid-argument
  (signals-status (invalid-argument -3) (dcf-db-insert (make-hash-table) "/a" "x"))
  (signals-status (invalid-argument -3) (dcf-db-query 42 "/a")))

(test a-raw-handle-from-streamdb-init-is-borrowed-not-closed
  (streamdb:load-library)
  (let* ((file (scratch-file))
         (raw (with-foreign-guard
                (cffi:foreign-funcall "streamdb_init" :string file :int 5000 :pointer))))
    (is (not (cffi:null-pointer-p raw)))
    (unwind-protect
         (let ((node (make-dcf-node :streamdb raw)))
           (is (eq t (dcf-db-insert node "/state/peers/n1" '(:host "10.0.0.1" :port 7777))))
           (is (equal '("/state/peers/n1") (dcf-db-search node "/state/peers/")))
           (close-database (node-database node))
           (is (string= "{\"host\":\"10.0.0.1\",\"port\":7777}"
                        (dcf-db-query node "/state/peers/n1"))
               "closing the borrowed Lisp object leaves the raw handle open"))
      (with-foreign-guard (cffi:foreign-funcall "streamdb_free" :pointer raw :void)))
    (with-database (db file :no-create t)
      (is (equal '("/state/peers/n1") (search db ""))))))
