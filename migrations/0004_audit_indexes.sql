DROP INDEX `audit_log_at_idx`;--> statement-breakpoint
DROP INDEX `audit_log_subject_idx`;--> statement-breakpoint
CREATE INDEX `audit_log_subject_idx` ON `audit_log` (`subject`);