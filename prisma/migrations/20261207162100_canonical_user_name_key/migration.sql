-- userNameKey becomes the canonical key of a userName (issue 13, item 9): surrounding whitespace
-- trimmed, Unicode NFKC, lower case (src/server/directory/user-fields.ts `userNameKey`), so that
-- "alice@x ", "ALICE@X" and fullwidth "ａｌｉｃｅ@x" are one user. Keys written before were
-- lower(userName) alone. Written by hand, with no schema change (schema.prisma is the previous
-- migration's snapshot).
--
-- The new key is computed from the old one (already lower-cased by the server): trimmed of what
-- JavaScript's trim() removes, NFKC-normalised, and lower-cased again for the letters NFKC brings
-- back to ASCII (fullwidth, mathematical and other compatibility forms).
--
-- Two users stored apart that now share a key keep their old keys (the older one takes the new key
-- when it is free): merging users is an administrator's decision. Such look-alikes are found with
--   SELECT "tenantId", lower(normalize(btrim("userNameKey"), NFKC)) FROM "DirectoryUser" GROUP BY 1, 2 HAVING count(*) > 1
-- One statement: each new key is taken by one user and by no row before the update, so the
-- unique index (tenantId, userNameKey) cannot fail half-way.
UPDATE "DirectoryUser" u
SET "userNameKey" = c.key
FROM (
  SELECT DISTINCT ON ("tenantId", key) id, "tenantId", key
  FROM (
    SELECT id, "tenantId", "createdAt", "userNameKey",
           lower(normalize(regexp_replace("userNameKey", '^[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+|[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+$', '', 'g'), NFKC)) AS key
    FROM "DirectoryUser"
  ) k
  WHERE key <> "userNameKey"
  ORDER BY "tenantId", key, "createdAt", id
) c
WHERE u.id = c.id
  AND NOT EXISTS (SELECT 1 FROM "DirectoryUser" o WHERE o."tenantId" = c."tenantId" AND o."userNameKey" = c.key);
