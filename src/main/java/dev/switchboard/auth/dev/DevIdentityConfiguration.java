package dev.switchboard.auth.dev;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The dev identity provider's beans (its routes are scanned). */
@Import({DevGrants.class})
@Configuration(proxyBeanMethods = false)
public class DevIdentityConfiguration {}
