package dev.updraft.server.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On an admin resource class whose writes {@link AuditTrail} must not record: the class records each change itself,
 * as the admin API call it is the same as (the web console, docs/console.md "Actions"), and its other posts (a
 * confirmation step, a logout) change nothing the audit log is about.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface AuditsItself {}
