-- Issue 18 item 5: an organisation may choose one mail a day (a digest) instead of a mail per
-- notification (OrganisationContactSet.mail_digest). Its mails wait as 'held' until the
-- day's digest takes them ('digested', digest_id: the digest's own delivery).
ALTER TABLE contacts ADD COLUMN mail_digest boolean NOT NULL DEFAULT false;
ALTER TABLE deliveries ADD COLUMN digest_id uuid;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
    CHECK (status IN ('pending', 'sending', 'confirming', 'sent', 'failed', 'held', 'digested'));
CREATE INDEX deliveries_held ON deliveries (recipient_kind, recipient_id) WHERE status = 'held';
