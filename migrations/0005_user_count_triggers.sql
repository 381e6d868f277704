-- Keep user_counts in step with users, inside the same transaction as every insert and delete.
INSERT INTO `user_counts` (`workspace`, `n`) SELECT `workspace`, count(*) FROM `users` GROUP BY `workspace`;
--> statement-breakpoint
CREATE TRIGGER `users_count_insert` AFTER INSERT ON `users` BEGIN
  INSERT INTO `user_counts` (`workspace`, `n`) VALUES (new.`workspace`, 1)
  ON CONFLICT (`workspace`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `users_count_delete` AFTER DELETE ON `users` BEGIN
  UPDATE `user_counts` SET `n` = `n` - 1 WHERE `workspace` = old.`workspace`;
END;
