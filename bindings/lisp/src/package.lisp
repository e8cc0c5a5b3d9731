;;;; Packages of the binding. STREAMDB shadows CL:SEARCH because the contract names the
;;;; prefix search SEARCH; callers that :use both packages write streamdb:search.

(defpackage #:streamdb
  (:use #:cl)
  (:shadow #:search)
  (:export
   ;; library
   #:load-library #:library-version #:library-not-found #:*library-path*
   ;; databases
   #:database #:open-database #:close-database #:with-database #:database-open-p
   #:database-path #:snapshot #:with-snapshot
   ;; documents
   #:write-document #:read-document #:delete-document #:delete-document-id
   #:document-exists-p #:document-id
   #:document-info #:document-info-id #:document-info-size #:document-info-version
   #:document-info-path-count #:document-info-versions-kept
   ;; paths
   #:search #:bind-path #:unbind-path #:list-paths
   ;; streaming
   #:with-reader #:open-reader #:close-reader #:read-chunk #:reader-size #:reader-seek
   #:with-writer #:open-writer #:write-chunk #:commit-writer #:abort-writer
   ;; batches
   #:with-batch #:batch-write #:batch-delete
   ;; maintenance
   #:flush #:stats #:verify #:compact #:set-quick-mode
   ;; the foreign-call guard (for code that calls libstreamdb directly, like D-LISP)
   #:with-foreign-guard #:repair-signal-handlers
   ;; D-LISP node protocol
   #:node-database
   ;; conditions
   #:streamdb-error #:streamdb-error-status #:streamdb-error-status-name
   #:streamdb-error-message
   #:not-found #:invalid-argument #:corrupted #:too-large #:full #:busy #:read-only
   #:io-error #:internal-error #:buffer-too-small #:timed-out))

(defpackage #:dcf-db
  (:use #:cl)
  (:export #:dcf-db-insert #:dcf-db-query #:dcf-db-delete #:dcf-db-search #:dcf-db-flush
           #:schema-error #:schema-error-reason
           #:to-json #:parse-json #:validate-json))
