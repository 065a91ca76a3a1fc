/// Keystone v3 subset: users, projects, roles, signed expiring tokens, catalog.
package enum IdentityModule {}
