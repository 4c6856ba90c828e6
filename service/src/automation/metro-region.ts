/** The metro region is core's, shared with the simulator; re-exported for the modules that import it from here. */
export { areaOf, chennaiMetro, type MetroRegion, randomPointInDisc } from '@aftercare/core';
