/* true.c - the bench workload installed as the bundle's /bin/true: a static binary that exits 0
 * at once, so the peak RSS /usr/bin/time reports for `run` is the runtime's, not busybox's. */
int main(void)
{
	return 0;
}
