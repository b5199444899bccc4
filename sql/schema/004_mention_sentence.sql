-- The sentence each mention was read in (character offsets within its section), so a fact can
-- be shown with its evidence. NULL for mentions stored by extractors before rules version 6.
ALTER TABLE mention ADD COLUMN sentence_start INTEGER;
ALTER TABLE mention ADD COLUMN sentence_end INTEGER;
