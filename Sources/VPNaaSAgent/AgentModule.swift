/// Reconcile loop realising routers as namespaces with one charon each, and status reporting.
package enum AgentModule {}
