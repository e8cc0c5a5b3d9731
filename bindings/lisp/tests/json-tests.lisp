(in-package #:streamdb-tests)

(def-suite json :in streamdb)
(in-suite json)

(test lisp-data-becomes-json-text
  (is (string= "{\"peers\":[\"a\",\"b\"],\"count\":2}" (to-json '((:peers "a" "b") (:count . 2)))))
  (is (string= "{\"id\":\"n1\",\"port\":7777,\"up\":true}" (to-json '(:id "n1" :port 7777 :up t))))
  (is (string= "[1,2.5,\"x\",null,false]" (to-json (list 1 2.5d0 "x" nil :false))))
  (is (string= "[1,2,3]" (to-json #(1 2 3))))
  (is (string= "\"role\"" (to-json :role)))
  (is (string= "0.5" (to-json 1/2)))
  (is (string= "\"q\\\"\\\\\\n\\u0001é\"" (to-json (format nil "q\"\\~C~Cé" #\Newline (code-char 1)))))
  (let ((h (make-hash-table :test #'equal)))
    (setf (gethash "k" h) #("v"))
    (is (string= "{\"k\":[\"v\"]}" (to-json h)))))

(test values-without-a-json-form-are-rejected
  (signals-status (invalid-argument -3) (to-json (make-condition 'error)))
  (signals-status (invalid-argument -3)
    (to-json (sb-int:with-float-traps-masked (:overflow :invalid :divide-by-zero)
               (/ 1d0 *zero*)))))

(test json-text-becomes-lisp-data
  (let ((v (parse-json " {\"a\": [1, -2.5e1, \"x\\u00e9\\ud83d\\ude00\", true, false, null], \"b\": {}} ")))
    (is (hash-table-p v))
    (is (equalp (vector 1 -25d0 (format nil "xé~C" (code-char #x1F600)) :true :false :null)
                (gethash "a" v)))
    (is (= 0 (hash-table-count (gethash "b" v))))))

(test malformed-json-is-rejected
  (dolist (bad '("" "{" "[1,]" "{\"a\" 1}" "01" "\"unterminated" "tru" "[1] x" "{\"a\":1,}"
                 "\"\\ud800\""))
    (signals-status (invalid-argument -3) (parse-json bad))))

(test encoding-then-parsing-round-trips
  (let ((state (seeded-random-state 4)))
    (dotimes (i 200)
      (let* ((ints (loop repeat (random 10 state) collect (- (random 2000000 state) 1000000)))
             (text (coerce (loop repeat (random 20 state)
                                 collect (code-char (+ 32 (random 2000 state))))
                           'string))
             (parsed (parse-json (to-json (list :ints (coerce ints 'vector) :text text)))))
        (is (equalp (coerce ints 'vector) (gethash "ints" parsed)))
        (is (string= text (gethash "text" parsed)))))))

(test schemas-in-d-lisp-notation-are-checked
  (let ((schema '(:object (:required "peers") :properties (("peers" :array)))))
    (is (eq t (validate-json (parse-json "{\"peers\":[]}") schema)))
    (signals (schema-error) (validate-json (parse-json "{\"nodes\":[]}") schema))
    (signals (schema-error) (validate-json (parse-json "{\"peers\":3}") schema))
    (signals (schema-error) (validate-json (parse-json "[1]") schema)))
  (let ((metrics '(:object (:required "sends" "receives" "rtt")
                   :properties (("sends" :integer) ("receives" :integer) ("rtt" :number)))))
    (is (eq t (validate-json (parse-json "{\"sends\":1,\"receives\":2,\"rtt\":0.5}") metrics)))
    (signals (schema-error)
      (validate-json (parse-json "{\"sends\":1.5,\"receives\":2,\"rtt\":0.5}") metrics))))
