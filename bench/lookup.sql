-- pgbench: the one hand-written statement behind `specialist(registrationNumber)`.
\set n random(1, 50000)
SELECT id, registration_number, registered_on, status, family_name, family_name_kana,
       prefecture_code, employer, disclose_name, disclose_kana, disclose_prefecture, disclose_employer
  FROM specialists
 WHERE registration_number = lpad(:n::text, 6, '0');
