package dev.tally.delivery;

/**
 * Where the distributed runs of bills in many parts execute (Step Functions in AWS): a run is started by name, and a
 * name starts at most one execution, so that a notification that comes twice — or after the delivery's lease ran
 * out — cannot roll one delivery up twice.
 */
public interface DistributedRuns {
    /**
     * Starts the run's execution, named {@link DistributedRun#executionName()}.
     *
     * @return false if an execution of that name was started already (running or finished): nothing was started
     */
    boolean start(DistributedRun run);
}
