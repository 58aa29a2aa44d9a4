"""Language: the text catalog and the formatting of figures, in English and Simplified Chinese.

Pure (no Streamlit, no database): pages and `ui/` use it on screen, `pipelines/` for the
messages it sends (alerts by email and webhook), `models/` for exports and reports.
"""
