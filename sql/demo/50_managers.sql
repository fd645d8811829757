-- Where the demo's line manager addresses came from: people of the
-- staff lists (no account) have their setting's; account holders named
-- their own. The managers already asked are counted the same way.
UPDATE people p SET manager_source = CASE WHEN EXISTS (SELECT 1
	FROM accounts a WHERE a.person_id = p.id) THEN 'self'
	ELSE 'staff_list' END
 WHERE manager_email IS NOT NULL;
UPDATE manager_reviews m SET manager_source = p.manager_source
  FROM bookings b JOIN people p ON p.id = b.person_id
 WHERE b.id = m.booking_id AND p.manager_source IS NOT NULL;
