package accelmm.check;

import accelmm.sim.ChoiceSource;
import accelmm.sim.Footprint;
import accelmm.sim.ReplayChoiceSource;
import accelmm.sim.SchedulingPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Strategy.Dfs}: bounded exhaustive search over the decisions of a {@link Model}.
 *
 * <p>Design note. The search is stateless (VeriSoft, CHESS): it keeps only the path of
 * decisions of the current execution ({@link DfsNode}s) and re-executes the model from scratch
 * for each new one. An execution replays the path, then follows the default continuation (the
 * running actor keeps the CPU, else the lowest id; data choices take 0) and records every new
 * decision with its options. Backtracking moves the deepest node with an option left to that
 * option and cuts the path after it.
 *
 * <pre>
 *   execution 1:  [a] a  a  b        path: n0=a  n1=a  n2=a   (n2 also offers b)
 *   execution 2:  [a] a  b  ...      n2 moves to b; the rest is default continuation
 * </pre>
 *
 * Preemption bounding: choosing another actor while the running one could go on costs one
 * preemption; options that would exceed the bound are left out, and the node is then marked
 * incomplete. Sleep sets (Godefroid): a transition explored from a node need not run first
 * again in a later sibling's subtree as long as every transition since commutes with it, which
 * the simulation's {@link Footprint}s tell. With a preemption bound the reordered execution
 * might have been cut in that earlier subtree, so only subtrees explored without leaving
 * anything out for the bound feed sleep sets (a simple form of bounded partial-order
 * reduction, Coons et al., OOPSLA 2013).
 */
final class DfsSearch {

    private final Model model;
    private final Strategy.Dfs strategy;
    private final List<DfsNode> path = new ArrayList<>();
    private boolean boundHit;

    DfsSearch(Model model, Strategy.Dfs strategy) {
        this.model = model;
        this.strategy = strategy;
    }

    Exploration explore(Budget budget) {
        long started = System.nanoTime();
        long deadline = budget.maxTime() == null ? Long.MAX_VALUE : started + budget.maxTime().toNanos();
        long executions = 0;
        long steps = 0;
        boolean complete = false;
        while (executions < budget.maxExecutions() && (executions == 0 || System.nanoTime() < deadline)) {
            Execution choices = new Execution();
            RunResult r = model.execute(choices, false);
            executions++;
            steps += r.steps();
            if ((executions & 15) == 0) {
                budget.progress().update(model, strategy.describe(), executions);
            }
            if (r.violated()) {
                RunResult traced = model.execute(new ReplayChoiceSource(r.schedule()), true);
                return exploration(traced.violated() ? traced : r, executions, steps, false, started);
            }
            choices.checkPathUsed();
            if (!backtrack()) {
                complete = true;
                break;
            }
        }
        return exploration(null, executions, steps, complete, started);
    }

    private Exploration exploration(RunResult violation, long executions, long steps, boolean complete, long started) {
        return new Exploration(violation, executions, steps, strategy.describe(), System.nanoTime() - started,
                new Coverage.Systematic(strategy.preemptionBound(), complete, boundHit));
    }

    /** Moves to the next execution to try; false when the space is exhausted. */
    private boolean backtrack() {
        while (!path.isEmpty()) {
            DfsNode node = path.get(path.size() - 1);
            node.finishChild();
            if (!node.deadEnd && node.chooseNext(strategy.preemptionBound()) >= 0) {
                return true;
            }
            path.remove(path.size() - 1);
            boundHit |= node.incomplete;
            if (!path.isEmpty()) {
                path.get(path.size() - 1).childIncomplete |= node.incomplete;
            }
        }
        return false;
    }

    /** The choice source of one execution: replays the path, then extends it. */
    private final class Execution implements ChoiceSource {
        private int position;
        private DfsNode lastActorNode;
        /** Past a dead end: the rest is redundant and not recorded. */
        private boolean redundant;

        @Override
        public int pickActor(SchedulingPoint point) {
            Footprint footprint = point.footprint();
            DfsNode parent = lastActorNode;
            if (parent != null) {
                parent.chosenFootprint = footprint;
            }
            if (position < path.size()) {
                DfsNode node = path.get(position++);
                checkSame(node, point);
                lastActorNode = node;
                return node.chosen;
            }
            if (redundant) {
                int running = point.running() == null ? -1 : point.indexOf(point.running());
                return Math.max(running, 0);
            }
            int[] ids = new int[point.candidateCount()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = point.candidate(i).id();
            }
            List<DfsNode.Sleeper> sleep = strategy.sleepSets() && parent != null
                    ? parent.sleepAfter(footprint) : List.of();
            DfsNode node = DfsNode.actor(ids, point.running() == null ? -1 : point.running().id(),
                    preemptionsSoFar(), sleep);
            extend(node);
            lastActorNode = node;
            return node.chosen;
        }

        @Override
        public int pickValue(String label, int bound) {
            if (position < path.size()) {
                DfsNode node = path.get(position++);
                if (node.actorNode() || node.valueCount != bound) {
                    throw notDeterministic("a choice of " + bound + " values for " + label);
                }
                return node.chosen;
            }
            if (redundant) {
                return 0;
            }
            DfsNode node = DfsNode.value(bound, preemptionsSoFar());
            extend(node);
            return node.chosen;
        }

        private void extend(DfsNode node) {
            if (node.chooseNext(strategy.preemptionBound()) < 0) {
                node.deadEnd = true;
                node.chosen = node.defaultChoice();
                redundant = true;
            }
            path.add(node);
            position++;
        }

        private int preemptionsSoFar() {
            return path.isEmpty() ? 0 : path.get(path.size() - 1).preemptionsAfter();
        }

        private void checkSame(DfsNode node, SchedulingPoint point) {
            boolean same = node.actorNode() && node.options.length == point.candidateCount()
                    && node.runningId == (point.running() == null ? -1 : point.running().id());
            for (int i = 0; same && i < node.options.length; i++) {
                same = node.options[i] == point.candidate(i).id();
            }
            if (!same) {
                throw notDeterministic("a scheduling decision at step " + point.step() + " (" + point.label() + ")");
            }
        }

        void checkPathUsed() {
            if (position < path.size()) {
                throw notDeterministic("the end of the run");
            }
        }

        private ModelBugException notDeterministic(String found) {
            return new ModelBugException("the model is not deterministic: replaying decision " + position
                    + " of the search found " + found + " where an earlier execution had another", null);
        }
    }
}
