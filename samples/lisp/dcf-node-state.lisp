;;;; The dcf-db layer: a DCF (D-LISP / HydraMesh) node keeps its peers' state in StreamDb
;;;; under /state/peers/<peer-id> and lists it by prefix.
;;;; Run: sbcl --script samples/lisp/dcf-node-state.lisp [DATABASE-FILE]

(require :asdf)
(push (truename (merge-pathnames "../../bindings/lisp/" (make-pathname :name nil :type nil
                                                                   :defaults *load-truename*)))
      asdf:*central-registry*)
(handler-bind ((warning #'muffle-warning))
  (let ((*standard-output* (make-broadcast-stream)))
    (asdf:load-system "streamdb")))

(defpackage #:dcf-node-state (:use #:cl #:dcf-db))
(in-package #:dcf-node-state)

;;; D-LISP's node is a structure whose STREAMDB slot holds the database; the dcf-db
;;; functions find it there (see streamdb:node-database for other node shapes).
(defstruct dcf-node id streamdb)

(defparameter *peer-schema*
  '(:object (:required "id" "address" "rtt_ms") :properties (("id" :string) ("rtt_ms" :number))))

(defun save-peer (node id address rtt-ms role)
  (dcf-db-insert node (format nil "/state/peers/~A" id)
                 (list :id id :address address :rtt_ms rtt-ms :role role
                       :seen (get-universal-time))
                 :schema *peer-schema*))

(defun list-peers (node)
  "Every peer stored under /state/peers/, as (id address rtt role) lists."
  (loop for path in (dcf-db-search node "/state/peers/")
        collect (let ((peer (parse-json (dcf-db-query node path :schema *peer-schema*))))
                  (list (gethash "id" peer) (gethash "address" peer)
                        (gethash "rtt_ms" peer) (gethash "role" peer)))))

(defun show (title node)
  (format t "~A~%" title)
  (dolist (p (list-peers node))
    (format t "  ~{~8A ~18A rtt ~6,1F ms  ~A~}~%" p)))

(defun run (file)
  (streamdb:with-database (db file :flush-interval-ms 5000)   ; D-LISP's group commit
    (let ((node (make-dcf-node :id "node-a" :streamdb db)))
      (save-peer node "node-b" "10.0.0.2:7777" 12.5 "client")
      (save-peer node "node-c" "10.0.0.3:7777" 48 "relay")
      (save-peer node "node-d" "10.0.0.4:7777" 7.25 "client")
      ;; Node-level state next to the peers: a prefix search on /state/peers/ skips it.
      (dcf-db-insert node "/state/peers-summary" '(:count 3))
      (dcf-db-insert node "/state/config" "{\"mode\":\"p2p\",\"udp_port\":7777}")
      (show "peers after discovery:" node)

      (save-peer node "node-c" "10.0.0.3:7777" 31.0 "relay")          ; RTT update
      (dcf-db-delete node "/state/peers/node-d")                       ; peer left
      (handler-case (save-peer node 'bad "no rtt" nil nil)            ; schema violation
        (schema-error (e) (format t "rejected: ~A~%" e)))
      (dcf-db-flush node)                                              ; durable now
      (show "peers after an update and a departure:" node)
      (format t "everything under /state/: ~S~%" (dcf-db-search node "/state/"))))

  ;; A restarted node finds its peers again.
  (streamdb:with-database (db file :no-create t)
    (let ((node (make-dcf-node :id "node-a" :streamdb db)))
      (show "peers after a restart:" node)
      (assert (equal '("node-b" "node-c") (mapcar #'first (list-peers node)))))))

(let* ((argument (second sb-ext:*posix-argv*))
       (file (or argument
                 (format nil "~A/dcf-node-~D-~D.sdb" (or (sb-ext:posix-getenv "TMPDIR") "/tmp")
                         (sb-unix:unix-getpid) (get-universal-time)))))
  (unwind-protect (run file)
    (unless argument                    ; a scratch database: remove it and its side files
      (mapc #'delete-file (directory (concatenate 'string file "*"))))))
