package dev.switchboard.platform.db;

import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.annotation.AbstractTransactionManagementConfiguration;

/**
 * Transactions here are explicit ({@code TransactionTemplate}, {@link GroupCommits}); nothing is
 * annotated {@code @Transactional} (ArchitectureTest keeps it so). What the transaction
 * infrastructure must still give is {@code @TransactionalEventListener} (analytics records sign-ups
 * and subscriptions just before their commit), and this base class declares exactly that listener
 * factory.
 *
 * <p>Declaring it also stands in for Spring Boot's {@code @EnableTransactionManagement}, which
 * backs off when a bean of this type exists: that would add a transaction advisor, and the
 * auto-proxy creator then searched every method of every bean for {@code @Transactional} at start,
 * about 6 % of the start's main thread for an annotation no bean carries.
 */
@Configuration(proxyBeanMethods = false)
public class TransactionEventsConfiguration extends AbstractTransactionManagementConfiguration {}
