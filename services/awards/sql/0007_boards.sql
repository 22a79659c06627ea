-- The provincial board (issue 17, item 3): a title above a director's authority is forwarded
-- to the board of the department's province, which alone votes on and decides it. The read
-- copy keeps each department's province and the provinces' mergers (after a merger the
-- successor's board speaks). A department registered before this version has no province
-- here: its dossiers for such titles are refused (awards.no_board) until a DepartmentRegistered
-- is replayed (thidua replays registration's facts on a rebuild).
ALTER TABLE rc_departments ADD COLUMN province_id text;
CREATE TABLE rc_province_mergers (
    province_id       text PRIMARY KEY,
    into_province_id  text NOT NULL,
    effective_on      date NOT NULL,
    legal_basis       text
);
