;;;; The node protocol: how the dcf-db layer finds the database of a D-LISP node.
;;;;
;;;; (streamdb:node-database NODE) returns a DATABASE or NIL (the node runs without one). It
;;;; is a generic function; the built-in methods accept
;;;;   - a DATABASE: itself;
;;;;   - NIL or a null pointer: NIL;
;;;;   - a foreign pointer from streamdb_open / streamdb_init (what D-LISP keeps): a DATABASE
;;;;     borrowing it, which CLOSE-DATABASE never closes (its owner calls streamdb_free);
;;;;   - any structure or standard object with a slot named STREAMDB (in any package, as in
;;;;     D-LISP's DCF-NODE): the NODE-DATABASE of that slot's value.
;;;; Other node representations add a method: (defmethod streamdb:node-database ((n my-node))
;;;; (my-node-db n)).

(in-package #:streamdb)

(defgeneric node-database (node)
  (:documentation "The DATABASE that NODE stores its state in, or NIL when it has none."))

(defmethod node-database ((node database))
  node)

(defmethod node-database ((node null))
  nil)

(defmethod node-database ((node sb-sys:system-area-pointer))
  (if (cffi:null-pointer-p node)
      nil
      (progn (load-library)
             (make-instance 'database :handle node :owned nil))))

(defmethod node-database ((node t))
  (let ((slot (find "STREAMDB" (ignore-errors (sb-mop:class-slots (class-of node)))
                    :key (lambda (s) (symbol-name (sb-mop:slot-definition-name s)))
                    :test #'string=)))
    (unless slot
      (reject "~S has no streamdb handle: give it a slot named STREAMDB or define a method ~
               on STREAMDB:NODE-DATABASE" node))
    (let ((name (sb-mop:slot-definition-name slot)))
      (and (slot-boundp node name)
           (node-database (slot-value node name))))))
