package dev.tally.infra.history;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.CfnEventBusPolicy;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

import java.util.List;

/**
 * The production side of the staging accounts' forwarding: a statement of the {@value HistoryEventPatterns#BUS} bus's
 * policy (where {@code HistoryRules} listen) for each staging account, letting that account, and no other, put events
 * on it ({@code events:PutEvents}, principal the account). The forwarding stacks' rules put them with a role of their
 * own account; nothing assumes a role across accounts.
 */
final class StagingEventsPolicy extends Construct {
    /** The statement id of an account's grant, unique on the bus. */
    static String statementId(String account) {
        return "TallyStagingEvents-" + account;
    }

    StagingEventsPolicy(Construct scope, String id, List<String> stagingAccounts) {
        super(scope, id);
        Stack stack = Stack.of(this);
        String bus = HistoryEventPatterns.busArn(stack.getPartition(), stack.getAccount(), stack.getRegion());
        for (String account : stagingAccounts) {
            CfnEventBusPolicy.Builder.create(this, "From" + account)
                    .eventBusName(HistoryEventPatterns.BUS)
                    .statementId(statementId(account))
                    .statement(PolicyStatement.Builder.create()
                            .principals(List.of(new AccountPrincipal(account)))
                            .actions(List.of("events:PutEvents"))
                            .resources(List.of(bus))
                            .build().toStatementJson())
                    .build();
        }
    }
}
