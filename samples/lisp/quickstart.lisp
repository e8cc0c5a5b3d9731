;;;; StreamDb from Common Lisp in a few lines.
;;;; Run: sbcl --script samples/lisp/quickstart.lisp [DATABASE-FILE]
;;;; Needs Debian's sbcl and cl-cffi, and libstreamdb.so ($STREAMDB_LIBRARY or ./build.sh).

(require :asdf)
(push (truename (merge-pathnames "../../bindings/lisp/" (make-pathname :name nil :type nil
                                                                   :defaults *load-truename*)))
      asdf:*central-registry*)
(handler-bind ((warning #'muffle-warning))            ; quiet first-time compilation
  (let ((*standard-output* (make-broadcast-stream)))
    (asdf:load-system "streamdb")))

(defpackage #:quickstart (:use #:cl))
(in-package #:quickstart)

(defun run (file)
  (format t "libstreamdb ~A, database ~A~%" (streamdb:library-version) file)
  (streamdb:with-database (db file)
    ;; Documents are bytes stored under string paths; strings are stored as UTF-8.
    (let ((id (streamdb:write-document db "/docs/hello.txt" "Hello, StreamDb! ✓")))
      (format t "wrote /docs/hello.txt as document ~A~%" id)
      (format t "read back: ~S~%" (streamdb:read-document db "/docs/hello.txt" :as :string))

      ;; Any octet vector works too.
      (streamdb:write-document db "/docs/bytes.bin"
                               (make-array 4 :element-type '(unsigned-byte 8)
                                             :initial-contents '(0 1 254 255)))
      (format t "bytes: ~S~%" (streamdb:read-document db "/docs/bytes.bin"))

      ;; One document can live under several paths.
      (streamdb:bind-path db id "/latest")
      (format t "paths of ~A: ~S~%" id (streamdb:list-paths db id))

      ;; Prefix search lists paths in byte order.
      (format t "under /docs/: ~S~%" (streamdb:search db "/docs/"))

      ;; Overwriting makes a new version; the previous one stays readable.
      (streamdb:write-document db "/docs/hello.txt" "Hello again")
      (let ((info (streamdb:document-info db "/docs/hello.txt")))
        (format t "version ~D, ~D bytes; previous version: ~S~%"
                (streamdb:document-info-version info) (streamdb:document-info-size info)
                (streamdb:read-document db "/docs/hello.txt" :as :string :version 1))))

    ;; Several changes at once, atomically (all or nothing, one sync).
    (streamdb:with-batch (b db)
      (dotimes (i 3)
        (streamdb:batch-write b (format nil "/batch/~D" i) (format nil "item ~D" i))))
    (format t "batch wrote ~S~%" (streamdb:search db "/batch/"))

    ;; Large documents stream in and out chunk by chunk.
    (streamdb:with-writer (w db "/big.dat")
      (dotimes (i 64)
        (streamdb:write-chunk w (make-array 16384 :element-type '(unsigned-byte 8)
                                                  :initial-element (mod i 256)))))
    (streamdb:with-reader (r db "/big.dat")
      (let ((total 0) (chunks 0))
        (loop for chunk = (streamdb:read-chunk r)
              while chunk do (incf total (length chunk)) (incf chunks))
        (format t "streamed /big.dat: ~D bytes in ~D chunks~%" total chunks)
        (assert (= total (* 64 16384)))))

    ;; Errors are conditions carrying the library's status and message.
    (handler-case (streamdb:read-document db "/no/such/path")
      (streamdb:not-found (e) (format t "as expected: ~A~%" e)))

    (streamdb:delete-document db "/docs/bytes.bin")
    (streamdb:flush db)
    (streamdb:verify db)
    (format t "stats: ~S~%" (streamdb:stats db))))

(let* ((argument (second sb-ext:*posix-argv*))
       (file (or argument
                 (format nil "~A/quickstart-~D-~D.sdb" (or (sb-ext:posix-getenv "TMPDIR") "/tmp")
                         (sb-unix:unix-getpid) (get-universal-time)))))
  (unwind-protect (run file)
    (unless argument                    ; a scratch database: remove it and its side files
      (mapc #'delete-file (directory (concatenate 'string file "*"))))))
