(in-package #:streamdb-tests)

(def-suite batches :in streamdb)
(in-suite batches)

(test with-batch-commits-every-change-and-returns-the-body-values
  (with-scratch-db (db)
    (write-document db "/gone" "x")
    (is (equal '(:a :b)
               (multiple-value-list
                (with-batch (b db)
                  (batch-write b "/1" "one")
                  (batch-write b "/2" (octets 2))
                  (batch-delete b "/gone")
                  (is (not (document-exists-p db "/1")) "invisible before commit")
                  (values :a :b)))))
    (is (equal '("/1" "/2") (search db "")))
    (is (string= "one" (read-document db "/1" :as :string)))))

(test with-batch-changes-nothing-when-the-body-exits-non-locally
  (with-memory-db (db)
    (write-document db "/keep" "k")
    (ignore-errors
     (with-batch (b db)
       (batch-write b "/1" "one")
       (batch-delete b "/keep")
       (error "abandon")))
    (is (equal '("/keep") (search db "")))))

(test a-batch-deleting-a-missing-path-fails-whole-at-commit
  (with-memory-db (db)
    (signals-status (not-found -2)
      (with-batch (b db)
        (batch-write b "/1" "one")
        (batch-delete b "/never-written")))
    (is (null (search db "")))))

(test a-batch-rejects-invalid-paths-when-they-are-added
  (with-memory-db (db)
    (signals-status (invalid-argument -3)
      (with-batch (b db)
        (batch-write b "/ok" "1")
        (batch-write b "" "2")))
    (is (null (search db "")))))
