(in-package #:streamdb-tests)

(def-suite maintenance :in streamdb)
(in-suite maintenance)

(test stats-count-documents-and-paths
  (with-scratch-db (db)
    (let ((id (write-document db "/a" "1")))
      (write-document db "/b" "2")
      (bind-path db id "/c")
      (let ((s (stats db)))
        (is (= 2 (getf s :documents)))
        (is (= 3 (getf s :paths)))
        (is (plusp (getf s :page-size)))
        (is (plusp (getf s :total-pages)))
        (dolist (k '(:free-pages :file-bytes :cache-hits :cache-misses))
          (is (integerp (getf s k)) "~S" k))))))

(test flush-verify-and-compact-succeed-on-a-healthy-database
  (with-scratch-db (db)
    (dotimes (i 50) (write-document db (format nil "/f/~D" i) (make-string 1000 :initial-element #\x)))
    (dotimes (i 40) (delete-document db (format nil "/f/~D" i)))
    (is (eq t (flush db)))
    (is (eq t (verify db)))
    (is (eq t (compact db)))
    (is (eq t (verify db)))
    (is (= 10 (length (search db "/f/"))))))

(test quick-mode-still-reads-correct-data
  (with-scratch-db (db)
    (write-document db "/q" "quick")
    (set-quick-mode db t)
    (is (string= "quick" (read-document db "/q" :as :string)))
    (set-quick-mode db nil)
    (is (string= "quick" (read-document db "/q" :as :string)))))

(defun damage-file (file start)
  "Invert every byte of FILE from START on."
  (with-open-file (s file :direction :io :element-type '(unsigned-byte 8) :if-exists :overwrite)
    (let* ((len (file-length s))
           (buf (make-array (max 0 (- len start)) :element-type '(unsigned-byte 8))))
      (file-position s start)
      (read-sequence buf s)
      (dotimes (i (length buf)) (setf (aref buf i) (logxor #xFF (aref buf i))))
      (file-position s start)
      (write-sequence buf s))))

(test a-damaged-file-is-reported-as-corrupted-never-a-crash
  (let ((file (scratch-file)))
    (with-database (db file :page-size 4096)
      (dotimes (i 20) (write-document db (format nil "/d/~D" i) (make-string 5000 :initial-element #\d))))
    (damage-file file 8192)
    (let ((condition
            (handler-case
                (with-database (db file)
                  (verify db)
                  (dolist (p (search db "")) (read-document db p))
                  nil)
              (streamdb-error (e) e))))
      (is (typep condition 'corrupted) "got ~A" condition))))
