(in-package #:streamdb-tests)

(def-suite paths :in streamdb)
(in-suite paths)

(test search-is-a-true-byte-wise-prefix-search-in-byte-order
  (with-memory-db (db)
    (dolist (p '("/b" "/a/c" "/ab" "/a" "/a/b" "/state/peers" "/state/peers/1"))
      (write-document db p p))
    (is (equal '("/a" "/a/b" "/a/c" "/ab") (search db "/a")))
    (is (equal '("/a/b" "/a/c") (search db "/a/")))
    (is (equal '("/state/peers" "/state/peers/1") (search db "/state/peer")))
    (is (equal '("/state/peers/1") (search db "/state/peers/")))
    (is (equal '("/b") (search db "/b")))
    (is (null (search db "/zz")))
    (is (= 7 (length (search db ""))))))

(test non-ascii-paths-round-trip-and-sort-by-utf-8-bytes
  (with-memory-db (db)
    (let ((paths (list "/z" "/é" "/日本" (format nil "/~C" (code-char #x1F600)) "/Z")))
      (dolist (p paths) (write-document db p "x"))
      (is (equal (sort (copy-list paths)
                       (lambda (a b)
                         (let ((a (utf8 a)) (b (utf8 b)))
                           (let ((m (mismatch a b)))
                             (cond ((null m) nil)
                                   ((= m (length a)) t)
                                   ((= m (length b)) nil)
                                   (t (< (aref a m) (aref b m))))))))
                 (search db "/")))
      (is (string= "x" (read-document db "/日本" :as :string))))))

(test bind-path-makes-the-document-reachable-under-both-paths
  (with-memory-db (db)
    (let ((id (write-document db "/orig" "shared")))
      (is (eq t (bind-path db id "/alias")))
      (is (string= "shared" (read-document db "/alias" :as :string)))
      (is (equal '("/alias" "/orig") (list-paths db id)))
      (write-document db "/alias" "changed")
      (is (string= "changed" (read-document db "/orig" :as :string))))))

(test bind-path-accepts-the-id-as-sixteen-octets
  (with-memory-db (db)
    (let* ((id (write-document db "/o" "x"))
           (bytes (make-array 16 :element-type '(unsigned-byte 8))))
      (dotimes (i 16)
        (setf (aref bytes i) (parse-integer (remove #\- id) :start (* 2 i) :end (+ 2 (* 2 i)) :radix 16)))
      (bind-path db bytes "/p")
      (is (string= id (document-id db "/p"))))))

(test unbinding-the-last-path-keeps-the-document-reachable-by-id
  (with-memory-db (db)
    (let ((id (write-document db "/only" "x")))
      (is (eq t (unbind-path db id "/only")))
      (is (null (search db "")))
      (is (null (list-paths db id)))
      (bind-path db id "/back")
      (is (string= "x" (read-document db "/back" :as :string))))))

(test malformed-ids-signal-invalid-argument-and-unknown-ids-not-found
  (with-memory-db (db)
    (write-document db "/a" "x")
    (signals-status (invalid-argument -3) (bind-path db "not-an-id" "/b"))
    (signals-status (invalid-argument -3) (bind-path db (octets 1 2 3) "/b"))
    (signals-status (not-found -2) (bind-path db "00000000-0000-0000-0000-000000000000" "/b"))
    (signals-status (not-found -2) (list-paths db "00000000-0000-0000-0000-000000000001"))
    (is (equal '("/a") (search db "")))))
