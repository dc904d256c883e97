"""`xxgk audit`: a corpus of annual reports into a database, linked across years, with an audit report.

Modules: `pipeline` (ingest, link, decisions), `agencies` (agency identity), `executors` (where
the work runs), `query` (reading results back), `outputs` (HTML, Excel, CSV, Parquet).
"""
