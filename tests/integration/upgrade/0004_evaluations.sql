-- Seed data for the upgrade test at schema version 4 (after
-- 0003_programme.sql): same-day forms online and from paper, follow-ups
-- answered and due, and line managers' answers asked and given. Written
-- against migration 0004's schema.
INSERT INTO evaluations (session_id, booking_id, source, rating_content, rating_delivery,
    rating_venue, rating_trainer, rating_overall, knowledge_before, knowledge_after,
    confidence_before, confidence_after, outcomes_met, improve_safeguarding, action,
    comments, submitted_at, entered_by)
SELECT b.session_id, b.id, 'online', 5, 4, 3, 5, 4, 3, 8, 4, 7, 'yes', 'yes',
       'Share the referral pathway with the team.', 'Very useful.', b.attendance_at, NULL
  FROM bookings b WHERE b.status IN ('attended', 'partial');

INSERT INTO evaluations (session_id, source, rating_content, rating_overall,
    knowledge_before, knowledge_after, outcomes_met, improve_safeguarding, submitted_at, entered_by)
SELECT s.id, 'paper', 4, 4, 5, 6, 'partly', 'unsure', s.ends_at + interval '1 day',
       (SELECT id FROM people WHERE email = 'fay.seed@example.org')
  FROM sessions s WHERE s.starts_at < '2017-01-01';

INSERT INTO followups (booking_id, due_on, asked_at, applied, example, confidence_now,
    changed_information_sharing, changed_joint_working, changed_referrals, completed_at)
SELECT b.id, (b.attendance_at + interval '90 days')::date, b.attendance_at + interval '90 days',
       CASE WHEN p.email = 'ada.seed@example.org' THEN 'yes' END,
       CASE WHEN p.email = 'ada.seed@example.org' THEN 'Referred a family to early help.' END,
       CASE WHEN p.email = 'ada.seed@example.org' THEN 8 END,
       CASE WHEN p.email = 'ada.seed@example.org' THEN true END,
       CASE WHEN p.email = 'ada.seed@example.org' THEN false END,
       CASE WHEN p.email = 'ada.seed@example.org' THEN true END,
       CASE WHEN p.email = 'ada.seed@example.org' THEN b.attendance_at + interval '95 days' END
  FROM bookings b JOIN people p ON p.id = b.person_id
 WHERE b.status IN ('attended', 'partial');

INSERT INTO manager_reviews (booking_id, manager_email, token_hash, asked_at, expires_at,
    answered_at, changed_practice, evidence)
SELECT b.id, p.manager_email, sha256(('seed-manager-' || b.id)::bytea),
       b.attendance_at + interval '90 days', b.attendance_at + interval '120 days',
       CASE WHEN p.email = 'ada.seed@example.org' THEN b.attendance_at + interval '100 days' END,
       CASE WHEN p.email = 'ada.seed@example.org' THEN 'yes' END,
       CASE WHEN p.email = 'ada.seed@example.org' THEN 'Leads the team''s referrals now.' END
  FROM bookings b JOIN people p ON p.id = b.person_id
 WHERE b.status IN ('attended', 'partial') AND p.manager_email IS NOT NULL;
