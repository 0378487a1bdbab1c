-- Copyright (c) 2026 The gazette authors
--
-- Permission to use, copy, modify, and distribute this software for any
-- purpose with or without fee is hereby granted, provided that the above
-- copyright notice and this permission notice appear in all copies.
--
-- THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES.

-- Migration 5 is reserved for the change log that page caches read
-- (another branch).  This stand-in changes nothing; it exists only so
-- that migration 6 follows an unbroken numbering here.  At merge the
-- real 005 replaces it.
SELECT 1;
