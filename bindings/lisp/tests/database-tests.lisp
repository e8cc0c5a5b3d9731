(in-package #:streamdb-tests)

(def-suite databases :in streamdb)
(in-suite databases)

(test library-version-is-major-minor-patch
  (let ((v (library-version)))
    (is (stringp v))
    (is (= 2 (count #\. v)) "~S is not MAJOR.MINOR.PATCH" v)))

(test documents-survive-closing-and-reopening-the-file
  (let ((file (scratch-file)))
    (with-database (db file)
      (write-document db "/kept" "still here")
      (is (string= file (database-path db))))
    (is (probe-file file))
    (with-database (db file :no-create t)
      (is (string= "still here" (read-document db "/kept" :as :string))))))

(test in-memory-database-needs-no-file
  (with-database (db nil)
    (is (null (database-path db)))
    (write-document db "/m" "x")
    (is (equalp (octets 120) (read-document db "/m"))))
  (with-memory-db (db)
    (is (null (search db "")))))

(test no-create-on-a-missing-file-signals-not-found-and-creates-nothing
  (let ((file (scratch-file)))
    (signals-status (not-found -2) (open-database file :no-create t))
    (is (null (probe-file file)))))

(test read-only-database-rejects-writes-with-read-only
  (let ((file (scratch-file)))
    (with-database (db file) (write-document db "/a" "1"))
    (with-database (db file :read-only t)
      (is (string= "1" (read-document db "/a" :as :string)))
      (signals-status (read-only -9) (write-document db "/a" "2"))
      (signals-status (read-only -9) (delete-document db "/a"))
      (is (string= "1" (read-document db "/a" :as :string))))))

(test closing-twice-is-harmless-and-a-closed-database-signals-invalid-argument
  (let ((db (open-database :memory)))
    (is (database-open-p db))
    (is (eq t (close-database db)))
    (is (null (close-database db)))
    (is (not (database-open-p db)))
    (signals-status (invalid-argument -3) (read-document db "/a"))
    (signals-status (invalid-argument -3) (write-document db "/a" "x"))))

(test with-database-closes-when-the-body-exits-non-locally
  (let (escaped)
    (ignore-errors
     (with-database (db :memory)
       (setf escaped db)
       (error "leaving")))
    (is (not (database-open-p escaped)))))

(test options-of-the-wrong-type-are-rejected-before-anything-is-created
  (let ((file (scratch-file)))
    (signals-status (invalid-argument -3) (open-database file :page-size "big"))
    (signals-status (invalid-argument -3) (open-database file :versions-to-keep (expt 2 40)))
    (is (null (probe-file file)))))

(test options-reach-the-library
  (with-database (db (scratch-file) :page-size 16384 :no-sync t :versions-to-keep 0
                                    :flush-interval-ms 50 :page-cache-pages 64)
    (is (= 16384 (getf (stats db) :page-size)))))

(test a-snapshot-does-not-see-later-writes-and-is-read-only
  (with-scratch-db (db)
    (write-document db "/s" "before")
    (with-snapshot (snap db)
      (write-document db "/s" "after")
      (write-document db "/new" "n")
      (is (string= "before" (read-document snap "/s" :as :string)))
      (is (equal '("/s") (search snap "")))
      (signals-status (read-only -9) (write-document snap "/t" "x")))
    (is (string= "after" (read-document db "/s" :as :string)))))
