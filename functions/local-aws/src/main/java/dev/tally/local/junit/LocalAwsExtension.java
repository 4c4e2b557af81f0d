package dev.tally.local.junit;

import dev.tally.local.AwsEndpoints;
import dev.tally.local.LocalAws;
import dev.tally.local.LocalService;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * Runs {@link LocalAwsTest} classes against the local AWS stack. One backend (and so one set of emulators) per
 * test JVM, kept in the root {@link ExtensionContext} store and closed when every test of the JVM is done; each
 * class's services are started on its first need and then reused by every class.
 *
 * <p>Injects, into test and lifecycle method parameters, constructor parameters and non-final fields (static
 * fields before {@code @BeforeAll}):
 * <ul>
 *   <li>{@link AwsEndpoints}: the services the class names, on whichever backend runs;</li>
 *   <li>{@link LocalAws}: the shared local stack itself (local backend only; do not close it).</li>
 * </ul>
 */
public final class LocalAwsExtension
        implements ExecutionCondition, BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {
    /** System property choosing the backend: {@code local} (default), {@code localstack}, or a class name. */
    public static final String BACKEND_PROPERTY = "tally.local.backend";
    static final String LOCAL = "local";
    static final String LOCALSTACK = "localstack";
    static final String LOCALSTACK_CLASS = "dev.tally.local.localstack.LocalStackBackend";

    private static final Namespace NAMESPACE = Namespace.create(LocalAwsExtension.class);

    /**
     * Disables a class (each of its tests is reported skipped, with the reason) when the backend cannot run here,
     * e.g. LocalStack without Docker, or when the class is emulator-specific and another backend runs.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isPresent() || context.getTestClass().isEmpty()) {
            return ConditionEvaluationResult.enabled("decided for the class");
        }
        Class<?> testClass = context.getRequiredTestClass();
        Shared shared = shared(context);
        LocalAwsBackend backend = shared.backend;
        if (emulatorSpecific(testClass) && !LOCAL.equals(backend.name())) {
            return ConditionEvaluationResult.disabled(testClass.getSimpleName()
                    + " pins the local emulators' behaviour: skipped under the " + backend.name() + " backend");
        }
        Optional<String> unavailable = shared.unavailableReason();
        if (unavailable.isPresent()) {
            return ConditionEvaluationResult.disabled(unavailable.get());
        }
        return ConditionEvaluationResult.enabled("backend " + backend.name() + " is available");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        Injected injected = injected(context);
        for (Field field : context.getRequiredTestClass().getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                inject(field, null, injected);
            }
        }
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws IllegalAccessException {
        Injected injected = injected(context);
        for (Class<?> type = testInstance.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    inject(field, testInstance, injected);
                }
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == AwsEndpoints.class || type == LocalAws.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Injected injected = injected(extensionContext);
        if (parameterContext.getParameter().getType() == LocalAws.class) {
            return injected.localAws().orElseThrow(() -> new ParameterResolutionException(
                    "LocalAws is only there with the local backend, this run uses " + injected.backend()
                            + ": declare AwsEndpoints instead"));
        }
        return injected.endpoints();
    }

    private static void inject(Field field, Object target, Injected injected) throws IllegalAccessException {
        if (Modifier.isFinal(field.getModifiers())) {
            return;
        }
        Object value;
        if (field.getType() == AwsEndpoints.class) {
            value = injected.endpoints();
        } else if (field.getType() == LocalAws.class) {
            value = injected.localAws().orElseThrow(() -> new ExtensionConfigurationException(
                    "field " + field.getName() + ": LocalAws is only there with the local backend, this run uses "
                            + injected.backend() + ": declare AwsEndpoints instead"));
        } else {
            return;
        }
        field.setAccessible(true);
        field.set(target, value);
    }

    /** The class's endpoints, started (or reused) on first need; skips the class when the backend cannot run. */
    private static Injected injected(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        // Keyed by class: a nested class's context would otherwise find its outer class's entry.
        InjectedKey key = new InjectedKey(testClass);
        Injected known = context.getStore(NAMESPACE).get(key, Injected.class);
        if (known != null) {
            return known;
        }
        Set<LocalService> services = services(testClass);
        Shared shared = shared(context);
        LocalAwsBackend backend = shared.backend;
        // Normally the execution condition has disabled such a class already; this covers its instance creation.
        if (emulatorSpecific(testClass) && !LOCAL.equals(backend.name())) {
            Assumptions.abort(testClass.getSimpleName() + " pins the local emulators' behaviour: skipped under the "
                    + backend.name() + " backend");
        }
        Optional<String> unavailable = shared.unavailableReason();
        if (unavailable.isPresent()) {
            Assumptions.abort(unavailable.get());
        }
        AwsEndpoints all = shared.require(services);
        Injected injected = new Injected(backend.name(), new ClassEndpoints(all, services, testClass.getSimpleName()),
                all instanceof LocalAws local ? Optional.of(local) : Optional.empty());
        context.getStore(NAMESPACE).put(key, injected);
        return injected;
    }

    private static Shared shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(Shared.class, type -> new Shared(createBackend()), Shared.class);
    }

    /** The services named by {@link LocalAwsTest} on the class and the classes it is nested in. */
    static Set<LocalService> services(Class<?> testClass) {
        EnumSet<LocalService> services = EnumSet.noneOf(LocalService.class);
        boolean annotated = false;
        for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
            LocalAwsTest config = type.getAnnotation(LocalAwsTest.class);
            if (config != null) {
                annotated = true;
                services.addAll(java.util.List.of(config.services()));
            }
        }
        if (!annotated) {
            throw new ExtensionConfigurationException(testClass.getName()
                    + " uses LocalAwsExtension without @LocalAwsTest(services = ...): say which services it needs");
        }
        return services;
    }

    private static boolean emulatorSpecific(Class<?> testClass) {
        for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
            LocalAwsTest config = type.getAnnotation(LocalAwsTest.class);
            if (config != null && config.emulatorSpecific()) {
                return true;
            }
        }
        return false;
    }

    static LocalAwsBackend createBackend() {
        String name = System.getProperty(BACKEND_PROPERTY, LOCAL).strip();
        if (name.isEmpty() || name.equals(LOCAL)) {
            return new LocalEmulatorsBackend();
        }
        String className = name.equals(LOCALSTACK) ? LOCALSTACK_CLASS : name;
        try {
            ClassLoader loader = Optional.ofNullable(Thread.currentThread().getContextClassLoader())
                    .orElse(LocalAwsExtension.class.getClassLoader());
            Class<?> type = Class.forName(className, true, loader);
            return (LocalAwsBackend) type.getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new ExtensionConfigurationException("-D" + BACKEND_PROPERTY + "=" + name + ": " + className
                    + " is not on the test classpath" + (name.equals(LOCALSTACK)
                            ? " (run with the Maven profile: mvn -Plocalstack verify)" : ""), e);
        } catch (ReflectiveOperationException | ClassCastException e) {
            Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
            throw new ExtensionConfigurationException("-D" + BACKEND_PROPERTY + "=" + name + ": cannot create "
                    + className + ": " + cause, cause);
        }
    }

    private record InjectedKey(Class<?> testClass) {
    }

    private record Injected(String backend, AwsEndpoints endpoints, Optional<LocalAws> localAws) {
    }

    /** The test JVM's backend; closed by JUnit with the root store, after the last test. */
    private static final class Shared implements AutoCloseable {
        private final LocalAwsBackend backend;
        private Optional<String> unavailableReason;

        Shared(LocalAwsBackend backend) {
            this.backend = backend;
        }

        /** Asked once per JVM, and said once on stderr, so that a skipped run says why in the build log. */
        synchronized Optional<String> unavailableReason() {
            if (unavailableReason == null) {
                unavailableReason = backend.unavailableReason();
                unavailableReason.ifPresent(reason -> System.err.println("[local-aws] " + reason));
            }
            return unavailableReason;
        }

        synchronized AwsEndpoints require(Set<LocalService> services) {
            return backend.require(services);
        }

        @Override
        public void close() {
            backend.close();
        }
    }
}
