/* viz_cmd.c — the `faultline viz` entry, compiled in every build. In
 * faultline-viz (built with SDL) it hands over to the visualizer (viz.c).
 * In faultline itself it execs faultline-viz, found beside the running
 * program (or $FAULTLINE_VIZ), so only `viz` ever loads SDL. Without SDL it
 * says what to install and exits 2. */
#include "config.h"

#include <stdio.h>

#include "sim/cli/cli.h"

#if defined(HAVE_SDL) && defined(FL_VIZ_EXEC)

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* dirname(/proc/self/exe)/faultline-viz into `out`; false if unknown. */
static bool viz_beside_self(char *out, size_t len)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return false;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return false;
    slash[1] = '\0';
    return (size_t)snprintf(out, len, "%sfaultline-viz", self) < len;
}

int fl_cmd_viz(int argc, char **argv)
{
    char path[PATH_MAX + 32];
    const char *env = getenv("FAULTLINE_VIZ");
    if (env && *env)
        snprintf(path, sizeof path, "%s", env);
    else if (!viz_beside_self(path, sizeof path)) {
        fprintf(stderr, "faultline: viz: cannot locate faultline-viz (set FAULTLINE_VIZ)\n");
        return 2;
    }
    char **args = calloc((size_t)argc + 2, sizeof *args);
    if (!args) {
        fprintf(stderr, "faultline: out of memory\n");
        return 2;
    }
    args[0] = path;
    for (int i = 0; i < argc; i++)
        args[i + 1] = argv[i];               /* argv[0] is "viz" */
    fflush(NULL);
    execv(path, args);
    fprintf(stderr, "faultline: viz: cannot run %s: %s (the visualizer is installed "
                    "beside faultline as faultline-viz)\n", path, strerror(errno));
    free(args);
    return 2;
}

#elif defined(HAVE_SDL)

#include "viz/viz.h"

int fl_cmd_viz(int argc, char **argv)
{
    return viz_main(argc, argv);
}

#else

int fl_cmd_viz(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "faultline: built without the visualizer: install libsdl2-dev "
                    "libsdl2-ttf-dev libsdl2-image-dev and reconfigure\n");
    return 2;
}

#endif
