package dev.tally.aws.redshift;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@link DataSource} whose statements fail on purpose, as the Redshift Data API emulator's faults do: the next
 * statement whose SQL matches a pattern fails with an {@link SQLException} before it reaches the database, so a
 * test can break a JDBC load half-way through its transaction without a hook in the production code.
 */
final class FaultyDataSource {
    private final DataSource target;
    private final List<Fault> faults = new ArrayList<>();

    private record Fault(Pattern sql, String sqlState) {
    }

    FaultyDataSource(DataSource target) {
        this.target = target;
    }

    /** The next statement matching {@code sql} ({@link java.util.regex.Matcher#find()}) fails, once. */
    synchronized void failNextStatementMatching(Pattern sql) {
        failNextStatementMatching(sql, "XX000");
    }

    /** The same, the failure with this SQLSTATE (e.g. {@code 40001}, a serialization failure). */
    synchronized void failNextStatementMatching(Pattern sql, String sqlState) {
        faults.add(new Fault(sql, sqlState));
    }

    synchronized void clear() {
        faults.clear();
    }

    DataSource dataSource() {
        return proxy(DataSource.class, target, (method, args, result) ->
                result instanceof Connection connection ? proxy(Connection.class, connection, this::statements)
                        : result);
    }

    /** A connection's statements: SQL passed to {@code prepareStatement} or a {@link Statement}'s execute. */
    private Object statements(Method method, Object[] args, Object result) {
        return result instanceof Statement statement && !method.getName().startsWith("prepare")
                ? proxy(Statement.class, statement, (m, a, r) -> r)
                : result;
    }

    private synchronized void check(Method method, Object[] args) throws SQLException {
        boolean takesSql = method.getName().startsWith("prepare") || method.getName().startsWith("execute")
                || method.getName().equals("addBatch");
        if (!takesSql || args == null || args.length == 0 || !(args[0] instanceof String sql)) {
            return;
        }
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault fault = it.next();
            if (fault.sql().matcher(sql).find()) {
                it.remove();
                throw new SQLException("injected fault: statement matched /" + fault.sql().pattern() + "/",
                        fault.sqlState());
            }
        }
    }

    private interface After {
        Object apply(Method method, Object[] args, Object result) throws Exception;
    }

    /** {@code target} behind {@code type}, every call checked against the faults first, its result passed on. */
    private <T> T proxy(Class<T> type, Object target, After after) {
        InvocationHandler handler = (self, method, args) -> {
            check(method, args);
            try {
                return after.apply(method, args, method.invoke(target, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
