/* viz_cmd.c — the `faultline viz` entry, compiled in every build: with
 * SDL it hands over to the visualizer (viz.c), without it it says what to
 * install and exits 2. */
#include "config.h"

#include <stdio.h>

#include "sim/cli/cli.h"
#ifdef HAVE_SDL
#include "viz/viz.h"
#endif

int fl_cmd_viz(int argc, char **argv)
{
#ifdef HAVE_SDL
    return viz_main(argc, argv);
#else
    (void)argc;
    (void)argv;
    fprintf(stderr, "faultline: built without the visualizer: install libsdl2-dev "
                    "libsdl2-ttf-dev libsdl2-image-dev and reconfigure\n");
    return 2;
#endif
}
