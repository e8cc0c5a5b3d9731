(in-package #:streamdb-tests)

(def-suite streaming :in streamdb)
(in-suite streaming)

(defun concatenate-chunks (reader)
  (let ((out (make-array 0 :element-type '(unsigned-byte 8) :adjustable t :fill-pointer 0))
        (chunks 0))
    (loop for chunk = (read-chunk reader)
          while chunk
          do (incf chunks)
             (loop for b across chunk do (vector-push-extend b out)))
    (values (coerce out '(simple-array (unsigned-byte 8) (*))) chunks)))

(test reader-chunks-concatenate-to-the-document
  (let ((data (random-octets (* 1024 1024) (seeded-random-state 2))))
    (with-scratch-db (db)
      (write-document db "/big" data)
      (with-reader (r db "/big")
        (is (= (length data) (reader-size r)))
        (multiple-value-bind (all chunks) (concatenate-chunks r)
          (is (equalp data all))
          (is (<= 1 chunks)))
        (is (null (read-chunk r)) "DONE stays DONE")))))

(test reader-seek-continues-from-the-offset
  (let ((data (random-octets 100000 (seeded-random-state 3))))
    (with-memory-db (db)
      (write-document db "/s" data)
      (with-reader (r db "/s")
        (is (= 70000 (reader-seek r 70000)))
        (is (equalp (subseq data 70000) (concatenate-chunks r)))
        (reader-seek r 100000)
        (is (null (read-chunk r)))
        (signals-status (invalid-argument -3) (reader-seek r 100001))))))

(test a-reader-keeps-reading-the-version-current-at-open
  (with-memory-db (db)
    (write-document db "/r" "old contents")
    (with-reader (r db "/r")
      (write-document db "/r" "new")
      (delete-document db "/r")
      (is (equalp (utf8 "old contents") (concatenate-chunks r))))))

(test a-closed-reader-signals-invalid-argument
  (with-memory-db (db)
    (write-document db "/r" "x")
    (let ((r (open-reader db "/r")))
      (close-reader r)
      (close-reader r)
      (signals-status (invalid-argument -3) (read-chunk r)))
    (signals-status (not-found -2) (open-reader db "/missing"))))

(test with-writer-commits-the-chunks-and-returns-the-id
  (with-memory-db (db)
    (let ((id (with-writer (w db "/w")
                (write-chunk w "hello, ")
                (write-chunk w (utf8 "streaming "))
                (write-chunk w "world"))))
      (is (string= id (document-id db "/w")))
      (is (string= "hello, streaming world" (read-document db "/w" :as :string))))))

(test with-writer-aborts-when-the-body-exits-non-locally
  (with-memory-db (db)
    (write-document db "/w" "original")
    (ignore-errors
     (with-writer (w db "/w")
       (write-chunk w "partial")
       (error "abandon")))
    (ignore-errors
     (with-writer (w db "/fresh")
       (write-chunk w "partial")
       (error "abandon")))
    (is (string= "original" (read-document db "/w" :as :string)))
    (is (not (document-exists-p db "/fresh")))))

(test a-writer-past-max-document-size-signals-too-large-and-publishes-nothing
  (with-database (db :memory :max-document-size 1000)
    (signals-status (too-large -6)
      (with-writer (w db "/w")
        (dotimes (i 3) (write-chunk w (make-array 400 :element-type '(unsigned-byte 8))))))
    (is (not (document-exists-p db "/w")))))
