"""Kafka authentication and authorization (issue 14): the principals' secrets, the ACL plan,
provisioning through the admin principal, and the departments' credentials."""
