;;;; ASDF definitions for the Common Lisp binding of libstreamdb.
;;;; Needs only CFFI (Debian: cl-cffi); the tests need FiveAM (Debian: cl-fiveam).
;;;; The native library is found at run time (see src/library.lisp), not at build time.

(defsystem "streamdb"
  :description "Common Lisp (CFFI) binding of libstreamdb, with the D-LISP dcf-db layer"
  :license "LGPL-3.0-or-later"
  :version "0.1.0"
  :depends-on ("cffi")
  :pathname "src/"
  :serial t
  :components ((:file "package")
               (:file "guard")
               (:file "signals")
               (:file "library")
               (:file "ffi")
               (:file "conditions")
               (:file "octets")
               (:file "database")
               (:file "documents")
               (:file "paths")
               (:file "streaming")
               (:file "batch")
               (:file "maintenance")
               (:file "node")
               (:file "json")
               (:file "dcf-db"))
  :in-order-to ((test-op (test-op "streamdb/tests"))))

(defsystem "streamdb/tests"
  :description "FiveAM suite of the streamdb binding and the dcf-db layer"
  :license "LGPL-3.0-or-later"
  :depends-on ("streamdb" "fiveam")
  :pathname "tests/"
  :serial t
  :components ((:file "package")
               (:file "fixtures")
               (:file "database-tests")
               (:file "document-tests")
               (:file "path-tests")
               (:file "streaming-tests")
               (:file "batch-tests")
               (:file "maintenance-tests")
               (:file "condition-tests")
               (:file "json-tests")
               (:file "dcf-db-tests")
               (:file "dlisp-raw-tests")
               (:file "hazard-tests")
               (:file "runner"))
  :perform (test-op (o c) (uiop:symbol-call :streamdb-tests :run-suite)))
