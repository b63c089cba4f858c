/* Included ahead of pan.c by bench/run: pan times its search with times() and the clock tick
 * (sysconf(_SC_CLK_TCK), 100 per second here), too coarse for a search of a millisecond. This
 * gives pan the same two calls on a monotonic clock counted in microseconds; nothing else in
 * the verifier changes. */
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

static clock_t usclock_times(struct tms *buf)
{
	struct timespec now;
	times(buf);
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (clock_t) (now.tv_sec * 1000000L + now.tv_nsec / 1000);
}

static long usclock_sysconf(int name)
{
	return name == _SC_CLK_TCK ? 1000000L : sysconf(name);
}

#define times usclock_times
#define sysconf usclock_sysconf
