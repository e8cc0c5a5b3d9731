;;;; The dcf-db layer: the functions D-LISP (DeMoD Communication Framework, HydraMesh) calls
;;;; for persistence, on libstreamdb.
;;;;
;;;; NODE is anything STREAMDB:NODE-DATABASE accepts (see node.lisp): a DATABASE, a raw
;;;; streamdb pointer, or a node object with a STREAMDB slot. Like D-LISP's own functions,
;;;; each returns NIL without touching anything when the node has no database.
;;;; Differences from D-LISP's originals, on purpose: a prefix search that matches nothing
;;;; returns NIL instead of signalling not-found; failures signal STREAMDB-ERROR subclasses
;;;; carrying the library's message instead of DCF-ERROR.

(in-package #:dcf-db)

(defun raw-octets-p (data)
  "D-LISP's rule: a non-string vector whose elements are all octets is raw data."
  (and (vectorp data) (not (stringp data))
       (every (lambda (x) (typep x '(unsigned-byte 8))) data)))

(defun stored-form (data)
  "What DCF-DB-INSERT stores for DATA: the string, the octets, or DATA's JSON text."
  (cond ((stringp data) data)
        ((raw-octets-p data) (coerce data '(simple-array (unsigned-byte 8) (*))))
        (t (to-json data))))

(defun check-schema (stored schema)
  (let ((text (if (stringp stored)
                  stored
                  (handler-case (sb-ext:octets-to-string stored :external-format :utf-8)
                    (error () (schema-fail "the data is not UTF-8 text"))))))
    (validate-json (handler-case (parse-json text)
                     (schema-error (e) (error e))
                     (streamdb:invalid-argument (e)
                       (schema-fail "~A" (streamdb:streamdb-error-message e))))
                   schema)))

(defun dcf-db-insert (node path data &key schema)
  "Store DATA at PATH: a string as UTF-8, an octet vector as is, anything else as its JSON
text (see TO-JSON). With SCHEMA (D-LISP's notation, see VALIDATE-JSON) the stored text must
be JSON matching it, else SCHEMA-ERROR and nothing is written. Returns T."
  (let ((db (streamdb:node-database node)))
    (when db
      (let ((stored (stored-form data)))
        (when schema (check-schema stored schema))
        (streamdb:write-document db path stored)
        t))))

(defun dcf-db-query (node path &key schema (if-does-not-exist :error))
  "The data stored at PATH: a string when it is UTF-8 text, else an octet vector. With
SCHEMA it must be JSON matching it, else SCHEMA-ERROR. A missing PATH signals
STREAMDB:NOT-FOUND, or returns NIL with :IF-DOES-NOT-EXIST NIL."
  (let ((db (streamdb:node-database node)))
    (when db
      (let ((octets (streamdb:read-document db path :if-does-not-exist if-does-not-exist)))
        (when octets
          (when schema (check-schema octets schema))
          (handler-case (sb-ext:octets-to-string octets :external-format :utf-8)
            (error () octets)))))))

(defun dcf-db-delete (node path)
  "Delete the data at PATH; signals STREAMDB:NOT-FOUND when there is none. Returns T."
  (let ((db (streamdb:node-database node)))
    (when db
      (streamdb:delete-document db path))))

(defun dcf-db-search (node prefix)
  "Every stored path that starts with PREFIX (byte-wise, the exact match included), in byte
order; NIL when none does."
  (let ((db (streamdb:node-database node)))
    (when db
      (streamdb:search db prefix))))

(defun dcf-db-flush (node)
  "Make every write so far durable. Returns T."
  (let ((db (streamdb:node-database node)))
    (when db
      (streamdb:flush db))))
