(defpackage #:streamdb-tests
  (:use #:cl #:fiveam)
  (:shadowing-import-from #:streamdb #:search)
  (:import-from #:streamdb
                #:open-database #:close-database #:with-database #:database-open-p
                #:database-path #:snapshot #:with-snapshot #:library-version
                #:write-document #:read-document #:delete-document #:delete-document-id
                #:document-exists-p #:document-id #:document-info #:document-info-id
                #:document-info-size #:document-info-version #:document-info-path-count
                #:document-info-versions-kept
                #:bind-path #:unbind-path #:list-paths
                #:with-reader #:open-reader #:close-reader #:read-chunk #:reader-size
                #:reader-seek #:with-writer #:open-writer #:write-chunk #:commit-writer
                #:abort-writer
                #:with-batch #:batch-write #:batch-delete
                #:flush #:stats #:verify #:compact #:set-quick-mode #:with-foreign-guard
                #:node-database
                #:streamdb-error #:streamdb-error-status #:streamdb-error-message
                #:not-found #:invalid-argument #:corrupted #:too-large #:full #:busy
                #:read-only #:io-error #:internal-error #:buffer-too-small #:timed-out)
  (:import-from #:dcf-db
                #:dcf-db-insert #:dcf-db-query #:dcf-db-delete #:dcf-db-search
                #:dcf-db-flush #:schema-error #:to-json #:parse-json #:validate-json)
  (:export #:run-suite))
