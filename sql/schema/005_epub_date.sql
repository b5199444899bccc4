-- One meaning per field across sources: pub_date is the journal issue's date (PubMed's PubDate,
-- Europe PMC's journal date); the electronic publication's date is kept apart.
ALTER TABLE paper ADD COLUMN epub_date VARCHAR;   -- ISO, possibly partial; NULL when the source gives none
