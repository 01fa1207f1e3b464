/* cmd_viz.c — the command-table entry of `faultline viz` and its usage
 * text. The command (its options, the window) lives in viz/; without SDL
 * viz/viz_cmd.c says what to install. */
#include "config.h"

#include "sim/cli/cli.h"

/* ---- The command-table entry: `faultline help viz` and `faultline viz --help`
 * print this text; faultline.1 and README.md quote it. */

static const char usage_text[] =
    "usage: faultline viz SCENARIO.json [options]\n"
    "       faultline viz --trace FILE [options]\n"
    "\n"
    "Shows the cluster: nodes on a circle coloured and shaped by role, with\n"
    "term, vote and election timer; messages moving along the links (requests\n"
    "filled, replies hollow with +/-), drops crossed where they die, cut links;\n"
    "each server's log coloured by term (committed, durable, commit index,\n"
    "the leader's matchIndex/nextIndex); a timeline of faults and elections;\n"
    "a panel with the selected node, recent events and client operations.\n"
    "With a scenario the run happens in this process, paced against the wall\n"
    "clock, and its trace hash is the headless run's; with --trace a recorded\n"
    "run is replayed.\n"
    "\n"
    "options:\n"
    "  --seed N          master seed (as for run)\n"
    "  --impl SO         use the algorithm in this shared object\n"
    "  --trace FILE      replay a trace written by `faultline run --trace`\n"
    "                    (JSON Lines or compact)\n"
    "  --speed X         simulated seconds per wall second (default 0.05)\n"
    "  --at MS           start at simulated time MS (--at-ms is the same)\n"
    "  --select NODE     select this node at the start\n"
    "  --screenshot OUT.png  draw the frame at --at MS without a window\n"
    "                    (no display needed), write it as PNG and exit\n"
    "  --size WxH        window or screenshot size (default 1280x800)\n"
    "  --frames N        run N frames in a window, then exit (for tests)\n"
    "  --keys SCRIPT     scripted input, one token a frame: @MS seek, sN or\n"
    "                    sL select node N or the leader, and key names (c r p\n"
    "                    x h S a ? q space right left plus minus home end)\n"
    "  --stats           print frame-time statistics at exit\n"
    "\n"
    "keys: space play/pause, right/left step one event, +/- speed, Home/End,\n"
    "click a node to select it, drag on the timeline to seek; live runs: c, r,\n"
    "p crash, restart, pause the selected node, x cut its links, h heal (the\n"
    "run restarts from time 0 with the fault), S save the run with those\n"
    "faults as a scenario that `faultline run` replays; ? all keys; q quits.\n"
    "\n"
    "Needs a build with SDL2, SDL2_ttf and SDL2_image, and the DejaVu fonts;\n"
    "without them this command says what to install and exits 2.\n";

const fl_command fl_cmd_viz_entry = {
    "viz", "watch a run live, or replay a trace, in a window", usage_text, fl_cmd_viz, NULL, false,
};
