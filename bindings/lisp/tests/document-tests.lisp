(in-package #:streamdb-tests)

(def-suite documents :in streamdb)
(in-suite documents)

(test written-octets-read-back-identical
  (let ((state (seeded-random-state 1)))
    (with-scratch-db (db)
      (dolist (n '(0 1 100 4095 4096 4097 65536 300001))
        (let ((data (random-octets n state)))
          (write-document db (format nil "/bin/~D" n) data)
          (is (equalp data (read-document db (format nil "/bin/~D" n))) "size ~D" n))))))

(test strings-are-stored-as-utf-8
  (with-memory-db (db)
    (let ((text (format nil "héllo ✓ ~A" (code-char #x1F600))))
      (write-document db "/text" text)
      (is (equalp (utf8 text) (read-document db "/text")))
      (is (string= text (read-document db "/text" :as :string))))))

(test an-empty-document-reads-as-an-empty-vector
  (with-memory-db (db)
    (write-document db "/empty" "")
    (let ((v (read-document db "/empty")))
      (is (typep v '(simple-array (unsigned-byte 8) (0)))))
    (is (string= "" (read-document db "/empty" :as :string)))))

(test any-vector-of-octets-is-accepted
  (with-memory-db (db)
    (write-document db "/general" (vector 1 2 3))
    (write-document db "/adjustable" (make-array 2 :element-type '(unsigned-byte 8)
                                                   :initial-contents '(9 8) :adjustable t))
    (write-document db "/displaced" (make-array 2 :element-type '(unsigned-byte 8)
                                                  :displaced-to (octets 1 2 3 4)
                                                  :displaced-index-offset 2))
    (is (equalp (octets 1 2 3) (read-document db "/general")))
    (is (equalp (octets 9 8) (read-document db "/adjustable")))
    (is (equalp (octets 3 4) (read-document db "/displaced")))))

(test data-that-is-not-text-or-octets-signals-invalid-argument-and-writes-nothing
  (with-memory-db (db)
    (signals-status (invalid-argument -3) (write-document db "/x" 42))
    (signals-status (invalid-argument -3) (write-document db "/x" '(1 2)))
    (signals-status (invalid-argument -3) (write-document db "/x" (vector 1 256)))
    (is (null (search db "")))))

(test write-returns-the-document-id
  (with-memory-db (db)
    (let ((id (write-document db "/id" "x")))
      (is (= 36 (length id)))
      (is (string= id (document-id db "/id")))
      (is (string= id (write-document db "/id" "y")) "a new version keeps the id"))))

(test overwriting-keeps-the-previous-version-readable
  (with-memory-db (db)
    (write-document db "/v" "one")
    (write-document db "/v" "two")
    (write-document db "/v" "three")
    (is (string= "three" (read-document db "/v" :as :string)))
    (is (string= "two" (read-document db "/v" :as :string :version 1)))
    (is (string= "one" (read-document db "/v" :as :string :version 2)))
    (signals-status (not-found -2) (read-document db "/v" :version 50))))

(test reading-a-missing-path-signals-not-found-or-returns-nil-on-request
  (with-memory-db (db)
    (signals-status (not-found -2) (read-document db "/missing"))
    (is (null (read-document db "/missing" :if-does-not-exist nil)))))

(test invalid-paths-signal-invalid-argument-and-change-nothing
  (with-memory-db (db)
    (write-document db "/ok" "1")
    (dolist (bad (list ""
                       (make-string 4097 :initial-element #\a)
                       (format nil "/nul~Cbyte" (code-char 0))
                       (format nil "/lone~C" (code-char #xD800))
                       (octets #xFF #xFE)))
      (signals-status (invalid-argument -3) (write-document db bad "x"))
      (signals-status (invalid-argument -3) (read-document db bad))
      (signals-status (invalid-argument -3) (delete-document db bad)))
    (is (equal '("/ok") (search db "")))
    ;; the longest valid path works
    (let ((longest (concatenate 'string "/" (make-string 4095 :initial-element #\b))))
      (write-document db longest "max")
      (is (string= "max" (read-document db longest :as :string))))))

(test delete-removes-the-document-and-a-second-delete-signals-not-found
  (with-memory-db (db)
    (write-document db "/d" "x")
    (is (eq t (delete-document db "/d")))
    (is (not (document-exists-p db "/d")))
    (signals-status (not-found -2) (delete-document db "/d"))))

(test document-info-reports-id-size-version-and-paths
  (with-memory-db (db)
    (let ((id (write-document db "/i" "12345")))
      (write-document db "/i" "1234567")
      (bind-path db id "/alias")
      (let ((info (document-info db "/i")))
        (is (string= id (document-info-id info)))
        (is (= 7 (document-info-size info)))
        (is (= 2 (document-info-version info)))
        (is (= 2 (document-info-path-count info)))
        (is (<= 1 (document-info-versions-kept info)))))
    (signals-status (not-found -2) (document-info db "/nope"))))

(test a-document-larger-than-max-document-size-signals-too-large-and-writes-nothing
  (with-database (db :memory :max-document-size 1024)
    (write-document db "/fits" (make-array 1024 :element-type '(unsigned-byte 8)))
    (signals-status (too-large -6)
      (write-document db "/big" (make-array 1025 :element-type '(unsigned-byte 8))))
    (is (equal '("/fits") (search db "")))))

(test delete-by-id-removes-every-path
  (with-memory-db (db)
    (let ((id (write-document db "/one" "x")))
      (bind-path db id "/two")
      (is (eq t (delete-document-id db id)))
      (is (null (search db "")))
      (signals-status (not-found -2) (delete-document-id db id)))))

(test reading-non-utf-8-as-a-string-signals-invalid-argument
  (with-memory-db (db)
    (write-document db "/bin" (octets #xC3 #x28))
    (signals-status (invalid-argument -3) (read-document db "/bin" :as :string))
    (is (equalp (octets #xC3 #x28) (read-document db "/bin")))))

(defun compression-available-p ()
  "NIL while the library refuses STREAMDB_OPEN_COMPRESS as not available yet (main at the time
of writing: the engine compresses, the C layer did not yet accept the flag)."
  (handler-case (progn (close-database (open-database :memory :compress t)) t)
    (invalid-argument (e)
      (if (cl:search "not available" (streamdb-error-message e))
          nil
          (error e)))))

(test a-compressed-database-round-trips-compressible-and-random-data
  (if (not (compression-available-p))
      (progn
        (format t "~&NOTE: this libstreamdb refuses STREAMDB_OPEN_COMPRESS (not available yet); ~
                   compressed round trips NOT tested~%")
        (pass "compression unavailable, reported as invalid-argument"))
      (let ((state (seeded-random-state 6))
            (file (scratch-file "compressed"))
            (text (with-output-to-string (s)
                    (dotimes (i 20000) (format s "peer ~D is up; " (mod i 7))))))
        (let ((noise (random-octets 200000 state)))
          (with-database (db file :compress t :no-sync t)
            (write-document db "/text" text)
            (write-document db "/noise" noise)
            (is (string= text (read-document db "/text" :as :string)))
            (is (equalp noise (read-document db "/noise")))
            (is (= (length (utf8 text)) (document-info-size (document-info db "/text")))))
          (with-database (db file :no-create t)
            (with-reader (r db "/text")
              (is (equalp (utf8 text)
                          (apply #'concatenate '(vector (unsigned-byte 8))
                                 (loop for c = (read-chunk r) while c collect c)))))
            (is (equalp noise (read-document db "/noise")))
            (is (eq t (verify db))))))))
