"""Delivery of ready messages: the Mailer interface, outbox, SMTP, DKIM, the resumable send."""
